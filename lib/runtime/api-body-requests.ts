import type { IncomingMessage } from "node:http";

/*
 * API requests that carry a body do not go through middleware.ts (its matcher leaves them out with
 * `missing` on these two headers). Next 15.5 copies such a body for a Node.js middleware and does not
 * wait for the copy before it builds the route's Request: when the body is still arriving (a 2 MiB
 * upload, a slow client) the route gets the original, already-read stream and Next answers 500
 * ("Response body object should not be disturbed or locked") before our 64 KiB limit can answer 413.
 * Middleware has nothing to do for them anyway (it rolls sessions on GET, guards /settings and /admin
 * pages and sets headers); create-app-server.ts sets the security headers for them instead.
 * Keep this predicate and middleware.ts's matcher saying the same thing (tests/integration/oversized-bodies.test.ts).
 */
export function isApiRequestWithBody(req: Pick<IncomingMessage, "url" | "headers">): boolean {
  const path = (req.url ?? "").split("?", 1)[0]!;
  // /mcp (issue 24) is an API endpoint with JSON-RPC bodies too.
  if (!(path.startsWith("/api/") || path === "/mcp") || path.startsWith("/api/proxy/")) return false;
  return req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
}
