import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { connectUnauthorizedBody, describeConnectAccount } from "./connect-provider-shapes";
import { findConnectAccessToken } from "./find-connect-access-token";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { sendJson } from "./send-json";

/** `GET /connect/<id>/userinfo` (POST too, as Slack's auth.test allows): the token's account in the entry's shape. */
export async function serveConnectUserinfo(provider: Provider, played: PlayedConnectProvider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "POST") return void res.writeHead(405, { allow: "GET, POST" }).end();
  const bearer = await findConnectAccessToken(provider, played, req);
  req.resume();
  if (!bearer) return sendJson(res, 401, connectUnauthorizedBody(played), { "www-authenticate": 'Bearer error="invalid_token"' });
  sendJson(res, 200, describeConnectAccount(played, bearer.user));
}
