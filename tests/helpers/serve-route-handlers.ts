import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type Handler = (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>;

/**
 * Serves Next route handlers over real HTTP on 127.0.0.1 (no build needed), so an off-the-shelf client
 * (openid-client) talks to them exactly as it would to the running app. `routes`: "METHOD /path" → handler.
 */
export async function serveRouteHandlers(routes: Record<string, Handler>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
        const handler = routes[`${req.method} ${url.pathname}`];
        if (!handler) {
          res.writeHead(404).end();
          return;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        headers.set("x-forwarded-for", "127.0.0.1");
        const body = chunks.length && req.method !== "GET" ? Buffer.concat(chunks) : undefined;
        const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve({}) as Promise<never> });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
