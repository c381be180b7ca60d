import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { DEMO_CLIENT_IDS, PROVIDER_IDS } from "@/lib/providers/catalog";
import { findDemoUser, githubNumericId } from "./demo-users";

export type DemoIdpOptions = {
  port?: number;
  host?: string;
  /** Tessera base URLs allowed as redirect targets, e.g. http://localhost:3000. */
  appUrls: string[];
  /** Client secret shared by the three demo clients. */
  clientSecret: string;
  /** Short by default so refresh really happens in the demo. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
};

export type DemoIdp = {
  issuer: string;
  counters: { refreshGrants: Record<string, number> };
  close(): Promise<void>;
};

const SCOPES = [
  "openid",
  "offline_access",
  "email",
  "profile",
  "https://www.googleapis.com/auth/calendar.readonly",
  "User.Read",
  "Mail.Read",
  "read:user",
  "user:email",
  "repo",
];

/**
 * A real OAuth 2.0 / OpenID Connect server (oidc-provider) on loopback that plays Google, Microsoft
 * and GitHub: one client each, authorization code + PKCE, short-lived access tokens, rotating
 * refresh tokens, revocation (RFC 7009) and introspection (RFC 7662). Grants live in memory.
 */
export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const host = options.host ?? "127.0.0.1";
  // The issuer URL needs the port, and the provider needs the issuer: listen first, attach it after.
  const route: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => route.handler?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), use: "sig", alg: "RS256" };
  const refreshTtl = options.refreshTokenTtlSeconds ?? 30 * 24 * 3600;

  const configuration: Configuration = {
    clients: PROVIDER_IDS.map((id) => ({
      client_id: DEMO_CLIENT_IDS[id],
      client_secret: options.clientSecret,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: id === "github" ? "client_secret_post" : "client_secret_basic",
      redirect_uris: options.appUrls.map((url) => `${url.replace(/\/$/, "")}/api/auth/callback/${id}`),
    })),
    // Auth.js sends client credentials in the body for oauth-type providers (GitHub) and via Basic for OIDC ones.
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    conformIdTokenClaims: false,
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
    scopes: SCOPES,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 300,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: refreshTtl,
      Grant: refreshTtl,
      Session: 24 * 3600,
      Interaction: 3600,
    },
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    findAccount: async (_ctx, sub) => {
      const user = findDemoUser(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name, preferred_username: user.login }),
      };
    },
  };

  const provider = new Provider(issuer, configuration);
  const counters = { refreshGrants: Object.fromEntries(Object.values(DEMO_CLIENT_IDS).map((id) => [id, 0])) as Record<string, number> };
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.grant_type === "refresh_token" && ctx.oidc.client) counters.refreshGrants[ctx.oidc.client.clientId] = (counters.refreshGrants[ctx.oidc.client.clientId] ?? 0) + 1;
  });
  // oidc-provider logs server errors through these events; keep token values out of them.
  provider.on("server_error", (_ctx: unknown, error: Error) => console.error(`[demo-idp] server error: ${error.message}`));

  const oidc = provider.callback();
  route.handler = (req, res) => {
    if (req.url?.split("?")[0] === "/github/user" && req.method === "GET") {
      void serveGithubUser(provider, req, res);
      return;
    }
    oidc(req, res);
  };

  return {
    issuer,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** GitHub's `GET /user` shape for the GitHub client (numeric id, login, email). */
async function serveGithubUser(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const value = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const token = value ? await provider.AccessToken.find(value).catch(() => undefined) : undefined;
  if (!token || token.isExpired || !token.accountId) return send(401, { message: "Bad credentials" });
  const user = findDemoUser(token.accountId);
  if (!user) return send(401, { message: "Bad credentials" });
  send(200, { id: githubNumericId(user.login), login: user.login, name: user.name, email: user.email, avatar_url: null });
}
