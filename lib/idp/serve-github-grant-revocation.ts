import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { constantTimeEqual } from "@/lib/crypto/constant-time-equal";
import { revokeDemoGrant } from "./revoke-demo-grant";

const MAX_BODY_BYTES = 16 * 1024;

/**
 * GitHub's `DELETE /applications/{client_id}/grant` for the demo GitHub client: Basic client
 * authentication, JSON body `{ access_token }`; revokes the whole grant behind that token (every
 * access and refresh token of it), answers 204, or 404 when the token is unknown, like GitHub.
 */
export async function serveGithubGrantRevocation(
  provider: Provider,
  input: { githubClientId: string; clientSecret: string; onRevoked: () => void },
  pathClientId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const send = (status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { "content-type": "application/json; charset=utf-8" });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const [id, secret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
  if (id !== input.githubClientId || pathClientId !== id || !secret || !constantTimeEqual(secret, input.clientSecret)) {
    send(401, { message: "Bad credentials" });
    return;
  }
  let raw = "";
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > MAX_BODY_BYTES) return send(413, { message: "Body too large" });
  }
  let accessToken: unknown;
  try {
    accessToken = (JSON.parse(raw) as { access_token?: unknown }).access_token;
  } catch {
    accessToken = undefined;
  }
  if (typeof accessToken !== "string" || !accessToken) return send(422, { message: "access_token is required" });
  const token = await provider.AccessToken.find(accessToken).catch(() => undefined);
  if (!token || token.clientId !== input.githubClientId || !token.grantId) return send(404, { message: "Not Found" });
  await revokeDemoGrant(provider, token.grantId);
  input.onRevoked();
  send(204);
}
