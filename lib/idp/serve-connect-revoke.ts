import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { connectUnauthorizedBody } from "./connect-provider-shapes";
import { findConnectAccessToken } from "./find-connect-access-token";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { authenticateConnectClient } from "./authenticate-connect-client";
import { readFormBody } from "./read-form-body";
import { revokeDemoGrant } from "./revoke-demo-grant";
import { sendJson } from "./send-json";

const MAX_FORM_BYTES = 16 * 1024;

/**
 * `POST /connect/<id>/revoke`, the entry's revocation kind:
 *   bearer (Slack's auth.revoke): the access token authenticates its own revocation and ends the whole grant;
 *   rfc7009 (generic ids): `token=…` with client authentication ends the grant behind it; 200 also for unknown tokens.
 * Entries with kind "unsupported" (Atlassian) have no such endpoint: the caller answers 404 before this.
 */
export async function serveConnectRevoke(
  provider: Provider,
  played: PlayedConnectProvider,
  input: { clientSecret: string; onRevoked: () => void },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
  if (played.revocation === "bearer") {
    const bearer = await findConnectAccessToken(provider, played, req);
    req.resume();
    if (!bearer?.grantId) return sendJson(res, 401, connectUnauthorizedBody(played), { "www-authenticate": 'Bearer error="invalid_token"' });
    await revokeDemoGrant(provider, bearer.grantId);
    input.onRevoked();
    return sendJson(res, 200, { ok: true, revoked: true });
  }
  const form = await readFormBody(req, MAX_FORM_BYTES);
  if (!authenticateConnectClient(req, form, { clientId: played.clientId, clientSecret: input.clientSecret })) {
    return sendJson(res, 401, { error: "invalid_client", error_description: "client authentication failed" }, { "www-authenticate": 'Basic realm="demo-idp"' });
  }
  const value = form.get("token");
  if (!value) return sendJson(res, 400, { error: "invalid_request", error_description: "token is required" });
  const token = (await provider.AccessToken.find(value).catch(() => undefined)) ?? (await provider.RefreshToken.find(value).catch(() => undefined));
  // RFC 7009 §2.1: only the client's own tokens; §2.2: unknown or foreign tokens still answer 200.
  if (token && token.clientId === played.clientId && token.grantId) {
    await revokeDemoGrant(provider, token.grantId);
    input.onRevoked();
  }
  res.writeHead(200, { "cache-control": "no-store" }).end();
}
