import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { connectUnauthorizedBody, describeConnectAccount, describeConnectApiCall } from "./connect-provider-shapes";
import { findConnectAccessToken } from "./find-connect-access-token";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { sendJson } from "./send-json";

/*
 * The demo API of a played connect provider at `/demo-api/<id>/…`:
 *   GET /me   the token's account, shaped as the entry's userinfo
 *   one scope-guarded call: Slack GET /conversations.list (channels:read), Atlassian GET /rest/api/3/project
 *   (read:jira-work), generic POST /items (write); without the scope 403 {error:"insufficient_scope", needed}.
 * Only this provider's unexpired access tokens are accepted (another client's token is a 401).
 */
export async function serveConnectDemoApi(
  provider: Provider,
  played: PlayedConnectProvider,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const bearer = await findConnectAccessToken(provider, played, req);
  req.resume();
  if (!bearer) return sendJson(res, 401, connectUnauthorizedBody(played), { "www-authenticate": 'Bearer error="invalid_token"' });
  if (req.method === "GET" && path === "/me") return sendJson(res, 200, describeConnectAccount(played, bearer.user));
  const call = describeConnectApiCall(played);
  if (req.method !== call.method || path !== call.path) return sendJson(res, 404, { error: "not_found" });
  if (!bearer.scopes.has(call.scope)) {
    return sendJson(
      res,
      403,
      { error: "insufficient_scope", needed: call.scope },
      { "www-authenticate": `Bearer error="insufficient_scope", scope="${call.scope}"` },
    );
  }
  const answer = call.answer(bearer.user);
  sendJson(res, answer.status, answer.body);
}
