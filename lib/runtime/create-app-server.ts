import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { resolveClientAddress } from "@/lib/http/client-ip";
import { isHttpsRequest } from "@/lib/security/is-https-request";
import { isJsonApiPath } from "@/lib/security/api-security-headers";
import { buildSecurityHeaders, createCspNonce, STRICT_TRANSPORT_SECURITY } from "@/lib/security/security-headers";

/** Sent as X-Forwarded-For when the client's address cannot be known: one shared bucket. */
export const UNKNOWN_CLIENT = "unknown";

// Headers through which a client could claim an address (or, with no proxy in front, a host or scheme).
const ADDRESS_HEADERS = [
  "x-forwarded-for",
  "x-real-ip",
  "forwarded",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
];
const PROXY_ONLY_HEADERS = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];
/** What setClientAddress drops, with no proxy in front (0 hops) and behind one: built once, not per request. */
const DROPPED_WITHOUT_PROXY: ReadonlySet<string> = new Set([...ADDRESS_HEADERS, ...PROXY_ONLY_HEADERS]);
const DROPPED_BEHIND_PROXY: ReadonlySet<string> = new Set(ADDRESS_HEADERS);

type Handle = (req: IncomingMessage, res: ServerResponse) => unknown;
/** Names a failed request in the log: the path without its query (a query can hold a code or a token). */
export type FailedRequest = { id: string; method: string; path: string };

/**
 * Route handlers and server actions do not see the socket, only headers, and `next start` passes
 * through whatever X-Forwarded-For the client sent. So `npm start` serves Next through this server:
 * before Next sees a request it replaces X-Forwarded-For with the one address it trusts
 * (resolveClientAddress) and drops every other address header. With no proxy in front
 * (trustedProxyHops 0) the X-Forwarded-Host/-Proto/-Port a client sent are dropped too (Next fills
 * them from the request itself). A handler that throws answers 500; the process keeps serving.
 */
export function createAppServer(options: { handle: Handle; trustedProxyHops: number; onError?: (error: unknown, request: FailedRequest) => void }): Server {
  return createServer((req, res) => {
    setClientAddress(req, options.trustedProxyHops);
    // A client that hangs up before its answer makes Node destroy the request with an "aborted" error.
    // Next swaps a POST's request stream for its own copy of the body (and with it the stream's
    // listeners), so that error would reach nobody and stop the process: one closed connection
    // would take the server down. Listen once the connection is gone (the error is emitted on the
    // next tick, after this runs); there is nobody left to answer.
    res.once("close", () => req.on("error", ignoreAbortedRequest));
    setApiSecurityHeaders(req, res);
    sendHeadersWithBody(res);
    new Promise((resolve) => resolve(options.handle(req, res))).catch((error: unknown) => {
      options.onError?.(error, { id: randomUUID(), method: req.method ?? "?", path: (req.url ?? "").split("?", 1)[0]!.slice(0, 200) });
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side." } }));
    });
  });
}

function ignoreAbortedRequest(): void {}

/*
 * Next sends a route's headers on their own: its response writer calls res.flushHeaders() and then writes the first
 * chunk (next/dist/server/pipe-readable.js), and the answer ends later, so a small JSON answer cost two socket writes,
 * the first ~4.5% of the server's CPU under load in a profile (issue 26). The socket stays corked from flushHeaders to
 * the end of this turn of the event loop: headers, body and end leave in one write. A stream's later chunks are not
 * held; its headers wait at most that one turn.
 */
function sendHeadersWithBody(res: ServerResponse): void {
  const flushHeaders = res.flushHeaders;
  res.flushHeaders = function () {
    const socket = res.socket;
    if (!socket) return flushHeaders.call(res);
    socket.cork();
    try {
      flushHeaders.call(res);
    } finally {
      setImmediate(() => socket.uncork());
    }
  };
}

/*
 * middleware.ts runs for pages only. Auth.js's routes (/api/auth/*: its sign-out page, callbacks, redirects) get the
 * page headers here; JSON API answers get their static headers from next.config.ts, and HSTS here, because whether
 * Tessera is served over https (AUTH_URL) is known at run time, not at build. The provider proxy sets its own.
 */
function setApiSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "").split("?", 1)[0]!;
  const auth = path.startsWith("/api/auth/");
  if (!auth && !isJsonApiPath(path)) return;
  const https = isHttpsRequest({ get: (name: string) => [req.headers[name.toLowerCase()]].flat()[0] ?? null });
  if (auth) {
    for (const [name, value] of Object.entries(buildSecurityHeaders({ nonce: createCspNonce(), https }))) res.setHeader(name, value);
  } else if (https) {
    res.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
}

/** Overwrites the request's address headers with the address we trust (in headers and rawHeaders). */
export function setClientAddress(req: IncomingMessage, trustedProxyHops: number): string {
  const address =
    resolveClientAddress({ socketAddress: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trustedProxyHops }) ?? UNKNOWN_CLIENT;
  const drop = trustedProxyHops === 0 ? DROPPED_WITHOUT_PROXY : DROPPED_BEHIND_PROXY;
  for (const name of drop) delete req.headers[name];
  req.headers["x-forwarded-for"] = address;
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (!drop.has(req.rawHeaders[i]!.toLowerCase())) raw.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  raw.push("X-Forwarded-For", address);
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
  return address;
}
