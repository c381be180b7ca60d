import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sendWebhookRequest } from "@/lib/webhooks/send-webhook-request";

/*
 * One delivery attempt against real sockets on loopback. 127.0.0.2 plays "the public internet" (isAllowedAddress)
 * and 127.0.0.1 "the internal service an attacker wants to reach"; TESSERA_WEBHOOK_ALLOW_PRIVATE stays unset.
 */
const PUBLIC = "127.0.0.2";
const INTERNAL = "127.0.0.1";
const asPublic = (address: string) => address === PUBLIC;

type Seen = { host: string | undefined; body: string };
const closers: (() => Promise<void>)[] = [];
const closeLater = (server: Server | TlsServer) =>
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
const saved = process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE;

beforeAll(() => {
  delete process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE;
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
});
afterAll(() => {
  if (saved !== undefined) process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = saved;
  process.off("uncaughtException", onUncaught);
  process.off("unhandledRejection", onUncaught);
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  // Whatever a broken receiver did must not surface later as a process-level error.
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(uncaught).toEqual([]);
});

async function listen(host: string, handler: (req: IncomingMessage, res: ServerResponse, seen: Seen[]) => void, port = 0) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      seen.push({ host: req.headers.host, body });
      handler(req, res, seen);
    });
  });
  closeLater(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { seen, port: (server.address() as AddressInfo).port };
}

const send = (url: string, options: Partial<Parameters<typeof sendWebhookRequest>[3]> = {}) =>
  sendWebhookRequest(
    url,
    '{"type":"pat.revoked"}',
    { "content-type": "application/json" },
    { timeoutMs: 1500, resolve: async () => [{ address: PUBLIC, family: 4 }], isAllowedAddress: asPublic, ...options },
  );

describe("DNS rebinding", () => {
  /*
   * Mutation check: in send-webhook-request.ts, dropping `lookup: pinnedLookup(target.addresses)` (so the socket
   * resolves "localhost" again, as fetch did after the check) makes this test fail: the POST lands on 127.0.0.1.
   */
  it("a name that answers public to the check and internal a moment later is connected to at the checked address only", async () => {
    const outside = await listen(PUBLIC, (_req, res) => res.writeHead(200).end());
    const inside = await listen(INTERNAL, (_req, res) => res.writeHead(200).end(), outside.port);
    const resolve = vi
      .fn()
      .mockResolvedValueOnce([{ address: PUBLIC, family: 4 }])
      .mockResolvedValue([{ address: INTERNAL, family: 4 }]);

    const result = await send(`http://localhost:${outside.port}/hooks`, { resolve });

    expect(result).toMatchObject({ ok: true, statusCode: 200, outcome: "success" });
    expect(inside.seen).toEqual([]);
    expect(outside.seen).toEqual([{ host: `localhost:${outside.port}`, body: '{"type":"pat.revoked"}' }]); // Host stays the name
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("a name whose only answer is internal is refused before any connection", async () => {
    const inside = await listen(INTERNAL, (_req, res) => res.writeHead(200).end());
    const result = await send(`http://hooks.example.test:${inside.port}/hooks`, { resolve: async () => [{ address: INTERNAL, family: 4 }] });
    expect(result).toMatchObject({ ok: false, statusCode: null, outcome: "refused_url" });
    expect(inside.seen).toEqual([]);
  });

  it("over https the TLS server name (SNI) is the URL's host name, not the pinned address", async () => {
    const names: string[] = [];
    const tls = createTlsServer({
      SNICallback: (name, done) => {
        names.push(name);
        done(new Error("no certificate in this test"));
      },
    });
    tls.on("tlsClientError", () => {});
    closeLater(tls);
    await new Promise<void>((resolve) => tls.listen(0, PUBLIC, resolve));
    const result = await send(`https://hooks.example.test:${(tls.address() as AddressInfo).port}/hooks`);
    expect(result).toMatchObject({ ok: false, outcome: "network_error" });
    expect(names).toEqual(["hooks.example.test"]);
  });
});

describe("a receiver that misbehaves ends the attempt, never the process", () => {
  /*
   * Mutation check: the old code (fetch, body cancelled unread) counted a reset after a 200's headers as success
   * (seen); removing both `response.on("error", …)` and `response.on("close", …)` in send-webhook-request.ts makes
   * it end as a timeout instead (seen red); removing `request.on("error", …)` fails every test here (uncaught).
   */
  it("destroys the socket in the middle of the body: a failed attempt that says so", async () => {
    const receiver = await listen(PUBLIC, (req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("partial answer", () => setTimeout(() => req.socket.destroy(), 20));
    });
    const result = await send(`http://hooks.example.test:${receiver.port}/hooks`);
    expect(result).toMatchObject({ ok: false, statusCode: null, outcome: "network_error" });
    expect(result.error).toMatch(/^HTTP 200, then /);
  });

  it("sends a body whose chunked encoding is broken: a failed attempt", async () => {
    const receiver = await listen(PUBLIC, (req) => {
      req.socket.end("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\nzz-not-a-size\r\n");
    });
    const result = await send(`http://hooks.example.test:${receiver.port}/hooks`);
    expect(result).toMatchObject({ ok: false, outcome: "network_error" });
    expect(result.error).toBeTruthy();
  });

  it("sends headers, then nothing: the attempt times out", async () => {
    const receiver = await listen(PUBLIC, (_req, res) => {
      res.writeHead(200, { "content-length": "10" });
      res.flushHeaders();
    });
    const result = await send(`http://hooks.example.test:${receiver.port}/hooks`, { timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, statusCode: null, outcome: "timeout", error: "no answer within 500 ms" });
  });

  it("answers 204 with no body: success; 304 with no body: an HTTP error", async () => {
    let status = 204;
    const receiver = await listen(PUBLIC, (_req, res) => res.writeHead(status).end());
    expect(await send(`http://hooks.example.test:${receiver.port}/hooks`)).toMatchObject({ ok: true, statusCode: 204, error: null, outcome: "success" });
    status = 304;
    expect(await send(`http://hooks.example.test:${receiver.port}/hooks`)).toMatchObject({
      ok: false,
      statusCode: 304,
      error: "HTTP 304",
      outcome: "http_error",
    });
  });

  it("streams an endless body: the status counts once 64 KiB have arrived, the job is not held", async () => {
    const receiver = await listen(PUBLIC, (_req, res) => {
      res.writeHead(202);
      const chunk = "x".repeat(16 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    expect(await send(`http://hooks.example.test:${receiver.port}/hooks`, { timeoutMs: 5000 })).toMatchObject({ ok: true, statusCode: 202 });
  });

  it("is not there at all: a refused connection is a failed attempt", async () => {
    const receiver = await listen(PUBLIC, () => {});
    await closers.pop()!(); // nothing listens on that port any more
    const result = await send(`http://hooks.example.test:${receiver.port}/hooks`);
    expect(result).toMatchObject({ ok: false, statusCode: null, outcome: "network_error" });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
