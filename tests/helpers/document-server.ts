import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type DocumentHandler = (request: IncomingMessage, response: ServerResponse, socket: Socket) => void;

/**
 * A local HTTP server for client metadata documents (issue 22): each path answers with the handler the test
 * set for it, and every request is counted per path (to prove a cached document is not fetched again).
 */
export async function startDocumentServer(): Promise<{
  url: string;
  set(path: string, handler: DocumentHandler): string;
  hits(path: string): number;
  close(): Promise<void>;
}> {
  const handlers = new Map<string, DocumentHandler>();
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const handler = handlers.get(path);
    if (!handler) {
      response.writeHead(404).end();
      return;
    }
    handler(request, response, request.socket);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set(path, handler) {
      handlers.set(path, handler);
      return url + path;
    },
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering `body` as JSON with the given headers. */
export const jsonDocument =
  (body: unknown, headers: Record<string, string> = {}): DocumentHandler =>
  (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", ...headers }).end(typeof body === "string" ? body : JSON.stringify(body));
  };
