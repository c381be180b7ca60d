import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { findDemoUser, deriveGithubUserId } from "./demo-users";

/**
 * GitHub's `GET /user` and `GET /user/emails` for the demo GitHub client: the Bearer access token is
 * checked with oidc-provider (expired or revoked tokens are gone), and the answers have GitHub's shape,
 * numeric `id` included. Like GitHub, `/user`'s public email is only ever a verified one; `/user/emails`
 * lists the address with its `primary` and `verified` flags (Tessera trusts only a primary verified one).
 */
export async function serveGithubUser(
  provider: Provider,
  input: { githubClientId: string; avatarUrl: (login: string) => string },
  req: IncomingMessage,
  res: ServerResponse,
  resource: "user" | "emails" = "user",
): Promise<void> {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };
  const value = /^(?:Bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const token = value ? await provider.AccessToken.find(value).catch(() => undefined) : undefined;
  // Like api.github.com, only tokens issued to the GitHub app count.
  const user = token && !token.isExpired && token.clientId === input.githubClientId && token.accountId ? findDemoUser(token.accountId) : null;
  if (!token || !user) {
    send(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    return;
  }
  if (resource === "emails") {
    send(200, [{ email: user.email, primary: true, verified: user.emailVerified, visibility: user.emailVerified ? "public" : null }]);
    return;
  }
  send(
    200,
    {
      id: deriveGithubUserId(user.login),
      login: user.login,
      name: user.name,
      email: user.emailVerified ? user.email : null,
      avatar_url: input.avatarUrl(user.login),
      type: "User",
    },
    // GitHub lists the token's scopes in this header, comma-separated.
    { "x-oauth-scopes": [...token.scopes].join(", ") },
  );
}
