import type { IncomingMessage, ServerResponse } from "node:http";
import { shapeConnectTokenAnswer } from "./connect-provider-shapes";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { authenticateConnectClient } from "./authenticate-connect-client";
import { readFormBody } from "./read-form-body";
import { sendJson } from "./send-json";

const MAX_FORM_BYTES = 16 * 1024;
const FORWARDED = ["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token"];

/**
 * `POST /connect/<id>/token`: authenticates the client (Basic or client_secret_post), then asks the IdP's own
 * token endpoint over loopback, so the grant, code reuse, PKCE, rotation, the test faults, the counters and
 * issuedTokensFile are exactly the sign-in providers'. The answer is re-shaped as the entry reads it.
 */
export async function serveConnectToken(
  played: PlayedConnectProvider,
  input: { issuer: string; clientSecret: string },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
  const form = await readFormBody(req, MAX_FORM_BYTES);
  if (!authenticateConnectClient(req, form, { clientId: played.clientId, clientSecret: input.clientSecret })) {
    return sendJson(res, 401, { error: "invalid_client", error_description: "client authentication failed" }, { "www-authenticate": 'Basic realm="demo-idp"' });
  }
  const grantType = form.get("grant_type");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return sendJson(res, 400, { error: "unsupported_grant_type", error_description: "authorization_code or refresh_token" });
  }
  const body = new URLSearchParams();
  for (const name of FORWARDED) {
    const value = form.get(name);
    if (value !== null) body.set(name, value);
  }
  const basic = Buffer.from(`${encodeURIComponent(played.clientId)}:${encodeURIComponent(input.clientSecret)}`).toString("base64");
  const response = await fetch(`${input.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", authorization: `Basic ${basic}` },
    body,
  });
  const answer = (await response.json().catch(() => ({ error: "server_error" }))) as Record<string, unknown>;
  if (!response.ok) {
    const retryAfter = response.headers.get("retry-after");
    const error = {
      error: answer.error ?? "server_error",
      ...(typeof answer.error_description === "string" ? { error_description: answer.error_description } : {}),
    };
    return sendJson(res, response.status, error, retryAfter ? { "retry-after": retryAfter } : {});
  }
  sendJson(res, 200, shapeConnectTokenAnswer(played, answer), { pragma: "no-cache" });
}
