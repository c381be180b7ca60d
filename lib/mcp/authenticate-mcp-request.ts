import { verifyBearerToken } from "@/lib/oauth-apps/verify-bearer-token";
import { MCP_RESOURCE } from "@/lib/oauth-apps/protected-resources";
import { recordAuthFailure, retryAfterSeconds } from "@/lib/rate-limit/auth-failure-limiter";
import type { McpCaller } from "./mcp-caller";
import { isAllowedBrowserOrigin } from "./is-allowed-browser-origin";
import { mcpChallenge } from "./mcp-challenge";

/** `token`: the bearer as presented, for the SDK's AuthInfo only (never logged, never in a result). */
export type McpAuthentication = { ok: true; caller: McpCaller; token: string } | { ok: false; response: Response };

/**
 * The door of /mcp, top to bottom: the browser Origin (DNS rebinding: a page on another origin that
 * resolves to this server must not reach it, MCP transport spec §Security), then the bearer token, which
 * must be an application's access token issued for `/mcp` (RFC 8707): a PAT, a token for /api/v1, a
 * revoked grant, a disabled app all answer the same 401 invalid_token. `issuer`: Tessera's origin as
 * clients see it (issuerFor).
 */
export async function authenticateMcpRequest(request: Request, context: { issuer: string; ip: string | null; requestId: string }): Promise<McpAuthentication> {
  const origin = request.headers.get("origin");
  // No Origin: not a browser (an MCP client, curl). A browser's: only Tessera's own, see isAllowedBrowserOrigin.
  if (origin !== null && !isAllowedBrowserOrigin(origin, context.issuer)) {
    return {
      ok: false,
      response: Response.json(
        { jsonrpc: "2.0", error: { code: -32000, message: "Forbidden: requests from another origin are not accepted." }, id: null },
        { status: 403, headers: { "cache-control": "no-store" } },
      ),
    };
  }
  const authorization = request.headers.get("authorization");
  if (authorization === null) return { ok: false, response: mcpChallenge(context.issuer, { status: 401, error: null }, "Authentication required.") };
  const invalid = () => mcpChallenge(context.issuer, { status: 401, error: "invalid_token" }, "The access token is invalid, expired or revoked.");
  const wait = retryAfterSeconds(context.ip);
  if (wait) {
    const body = { jsonrpc: "2.0", error: { code: -32000, message: "Too many failed authentication attempts. Try again later." }, id: null };
    return { ok: false, response: Response.json(body, { status: 429, headers: { "retry-after": String(wait), "cache-control": "no-store" } }) };
  }
  const presented = /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? "";
  const result = await verifyBearerToken(presented, { ip: context.ip, audience: MCP_RESOURCE });
  if (!result.ok || !result.app) {
    // A PAT verifies (it has no audience) but is no credential here: only an application the person authorized for /mcp.
    await recordAuthFailure(context.ip, { checkedDatabase: result.ok || result.checkedDatabase });
    return { ok: false, response: invalid() };
  }
  const { user, app, token } = result;
  return {
    ok: true,
    token: presented,
    caller: {
      user: { id: user.id, email: user.email, name: user.name },
      app,
      scopes: token.scopes,
      origin: context.issuer,
      ip: context.ip,
      requestId: context.requestId,
    },
  };
}
