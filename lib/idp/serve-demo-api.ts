import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { DEMO_CLIENT_IDS, isProviderId, type ProviderId } from "@/lib/providers/catalog";
import { deriveGithubUserId, findDemoUser, type DemoUser } from "./demo-users";

/*
 * A small provider API per simulated provider at `/demo-api/{provider}/…`, so the provider API proxy
 * (issue 11) has something real to call in the demo and in tests:
 *   GET  /me            the token's user, shaped as that provider answers (Google userinfo, Graph /me, GitHub /user);
 *                       for github also at GitHub's own path, GET /user, so README's proxy example works in the demo;
 *                       `?delay_ms=N` adds a provider-like latency; with an ETag, so `If-None-Match` answers 304
 *                       (a conditional GET, as GitHub answers one); HEAD answers the headers alone
 *   DELETE /items/{id}  204 No Content, as GitHub answers a delete
 *   GET  /items?page=N  a paginated list (20 per page, 45 items), with a GitHub-style Link header
 *   POST /echo          answers the JSON body it received, byte for byte (PUT and PATCH too, as an update would)
 *   GET  /bytes?n=N     N bytes of "x" (streamed), to exercise response size limits
 *   GET  /reset?after=N declares twice N bytes, sends N, then resets the connection (a provider failing mid-body)
 * The Bearer token is checked like the real API would: an unexpired access token the IdP issued to
 * that provider's client (a token of another provider's client is refused, like Google refusing a GitHub token).
 */

export const DEMO_API_ITEMS = 45;
export const DEMO_API_PAGE_SIZE = 20;
const MAX_ECHO_BYTES = 16 * 1024 * 1024;
const MAX_BYTES = 64 * 1024 * 1024;

/** What the last request to the demo API looked like (test hook: in-process only). */
export type DemoApiRequest = { provider: string; method: string; path: string; search: string; headers: Record<string, string | string[] | undefined> };

export async function serveDemoApi(
  provider: Provider,
  input: { avatarUrl: (login: string) => string },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };
  const match = /^\/demo-api\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const providerId = match?.[1];
  const path = match?.[2] ?? "/";
  if (!providerId || !isProviderId(providerId)) return send(404, { error: "not_found" });

  const value = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const token = value ? await provider.AccessToken.find(value).catch(() => undefined) : undefined;
  const user = token && !token.isExpired && token.clientId === DEMO_CLIENT_IDS[providerId] && token.accountId ? findDemoUser(token.accountId) : null;
  if (!token || !user) {
    req.resume();
    return send(401, unauthorizedBody(providerId), { "www-authenticate": 'Bearer error="invalid_token"' });
  }

  if ((req.method === "GET" || req.method === "HEAD") && (path === "/me" || (providerId === "github" && path === "/user"))) {
    // `?delay_ms=N` (≤ 5 s) answers after N ms, like a real provider's latency: `npm run bench` compares with it.
    const delay = Math.min(5_000, Math.max(0, Number(url.searchParams.get("delay_ms")) || 0));
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    const body = me(providerId, user, input.avatarUrl);
    const etag = `"${createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { etag, "cache-control": "no-store" }).end();
    // Node sends the headers alone for HEAD (with the Content-Length the GET body would have).
    return send(200, body, { etag });
  }
  if (req.method === "DELETE" && /^\/items\/[1-9][0-9]{0,5}$/.test(path)) {
    req.resume();
    return void res.writeHead(204, { "cache-control": "no-store" }).end();
  }
  if (req.method === "GET" && path === "/reset") {
    const after = Number(url.searchParams.get("after") ?? "0");
    if (!Number.isInteger(after) || after < 0 || after > MAX_BYTES / 2) return send(400, { error: "invalid_after" });
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(2 * after + 1) });
    res.write(Buffer.alloc(after, "x"), () => {
      // After the bytes left: a hard reset (RST), as a provider's crashed backend or a dropped link gives.
      res.socket?.resetAndDestroy();
    });
    return;
  }
  if (req.method === "GET" && path === "/items") {
    const raw = url.searchParams.get("page") ?? "1";
    const page = /^[1-9][0-9]{0,5}$/.test(raw) ? Number(raw) : null;
    if (page === null) return send(400, { error: "invalid_page", message: "page is a positive integer" });
    const first = (page - 1) * DEMO_API_PAGE_SIZE;
    const items = Array.from({ length: Math.max(0, Math.min(DEMO_API_PAGE_SIZE, DEMO_API_ITEMS - first)) }, (_, i) => ({
      id: first + i + 1,
      name: `${user.login}'s item ${first + i + 1}`,
    }));
    const nextPage = first + DEMO_API_PAGE_SIZE < DEMO_API_ITEMS ? page + 1 : null;
    const headers: Record<string, string> = nextPage ? { link: `<${url.origin}${url.pathname}?page=${nextPage}>; rel="next"` } : {};
    return send(200, { items, page, nextPage, total: DEMO_API_ITEMS }, headers);
  }
  if ((req.method === "POST" || req.method === "PUT" || req.method === "PATCH") && path === "/echo") {
    if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
      req.resume();
      return send(415, { error: "unsupported_media_type" });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).byteLength;
      if (size > MAX_ECHO_BYTES) return send(413, { error: "payload_too_large" });
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    try {
      JSON.parse(body.toString("utf8"));
    } catch {
      return send(400, { error: "invalid_json" });
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": String(body.byteLength) });
    return void res.end(body);
  }
  if (req.method === "GET" && path === "/bytes") {
    const n = Number(url.searchParams.get("n") ?? "0");
    if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) return send(400, { error: "invalid_n" });
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(n) });
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let sent = 0; sent < n; sent += chunk.byteLength) {
      if (res.destroyed) return;
      const ok = res.write(chunk.subarray(0, Math.min(chunk.byteLength, n - sent)));
      if (!ok) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
    return void res.end();
  }
  req.resume();
  send(404, { error: "not_found" });
}

function me(provider: ProviderId, user: DemoUser, avatarUrl: (login: string) => string): unknown {
  switch (provider) {
    case "google":
      return { sub: user.login, name: user.name, email: user.email, email_verified: user.emailVerified, picture: avatarUrl(user.login) };
    case "microsoft-entra-id":
      return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        id: user.login,
        displayName: user.name,
        mail: user.email,
        userPrincipalName: user.email,
      };
    case "github":
      return {
        id: deriveGithubUserId(user.login),
        login: user.login,
        name: user.name,
        email: user.emailVerified ? user.email : null,
        avatar_url: avatarUrl(user.login),
        type: "User",
      };
  }
}

function unauthorizedBody(provider: ProviderId): unknown {
  switch (provider) {
    case "google":
      return { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } };
    case "microsoft-entra-id":
      return { error: { code: "InvalidAuthenticationToken", message: "Access token validation failure." } };
    case "github":
      return { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" };
  }
}
