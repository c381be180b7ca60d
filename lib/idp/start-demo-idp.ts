import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type JWK, type KoaContextWithOIDC } from "oidc-provider";
import { DEMO_CLIENT_IDS, PROVIDER_IDS } from "@/lib/providers/catalog";
import { CONNECT_CALLBACK_PATH } from "@/lib/providers/demo-connect";
import { createMemoryAdapter } from "./create-memory-adapter";
import { DemoIdpError } from "./demo-idp-error";
import { findDemoUser } from "./demo-users";
import { listConnectProviders, type PlayedConnectProvider } from "./list-connect-providers";
import { renderErrorPage } from "./render-error-page";
import { serveAvatar } from "./serve-avatar";
import { CONNECT_PATH, serveConnectProvider } from "./serve-connect-provider";
import { serveConnectDemoApi } from "./serve-connect-demo-api";
import { serveDemoApi, type DemoApiRequest } from "./serve-demo-api";
import { serveGithubGrantRevocation } from "./serve-github-grant-revocation";
import { serveGithubUser } from "./serve-github-user";
import { INTERACTION_PATH, serveInteraction } from "./serve-interaction";

export { DEMO_CLIENT_IDS };

export type DemoIdpLogger = { info(message: string): void; warn(message: string): void };

export type DemoIdpOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only: the demo IdP accepts any password. */
  host?: "127.0.0.1" | "localhost";
  /** Tessera base URLs allowed as redirect targets, e.g. http://localhost:3000. */
  appUrls: string[];
  /** Client secret shared by the three demo clients. */
  clientSecret: string;
  /** Short by default so refresh really happens in the demo. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  logger?: DemoIdpLogger;
  /**
   * Test-only: append every token the token endpoint issues (access, refresh and id tokens, one per
   * line) to this file, so e2e can search the app's log for every value that ever existed.
   */
  issuedTokensFile?: string;
  /**
   * Extra connect-only provider ids to play besides Slack and Atlassian (issue 23 §4), e.g. an operator's
   * catalogue entry: plain OAuth 2.0, space-separated scopes read/write/profile, RFC 7009 revocation.
   */
  connectProviders?: string[];
  /** Atlassian's refresh tokens stop working when unused this long (each rotation starts a new window). Default 90 days. */
  connectRefreshIdleSeconds?: number;
};

/**
 * Test hook: faults applied to the token endpoint only. Set in-process on the returned object (tests);
 * nothing over HTTP can change them.
 */
export type DemoIdpFaults = {
  /** Every token endpoint request waits this long before it is answered. */
  tokenDelayMs: number;
  /** Answer the token endpoint with this status and `{ error: tokenError }` instead of the real answer. */
  tokenStatus: number | null;
  tokenError: string | null;
  /** Sent as Retry-After with a faulted answer (e.g. "120" or an HTTP date). */
  tokenRetryAfter: string | null;
  /** The demo provider API (`/demo-api/…`): wait this long before answering. */
  apiDelayMs: number;
  /** Answer every demo API request with this status (`{ error: "fault" }`) instead of the real answer. */
  apiStatus: number | null;
  /** Sent as Retry-After with a faulted demo API answer. */
  apiRetryAfter: string | null;
  /** Extra response headers on every demo API answer (e.g. a Set-Cookie the proxy must drop). */
  apiHeaders: Record<string, string>;
};

export type DemoIdp = {
  /** e.g. http://127.0.0.1:41234 (no trailing slash); equals the `iss` of its responses. */
  issuer: string;
  /**
   * Successful refresh_token grants per client id (the connect clients `tessera-demo-<id>` too), tokens
   * revoked through RFC 7009 and connect grants revoked at `/connect/<id>/revoke`, every request that
   * reached the token endpoint (counted on arrival, before any fault delay; a connect token request counts
   * once its client authenticated, when it is passed on), and whole grants revoked through GitHub's
   * `DELETE /applications/{client_id}/grant`. Test/bench hook: token endpoint requests being answered
   * now and the most there ever were at once (a refresh storm's "provider calls in flight").
   */
  counters: {
    refreshGrants: Record<string, number>;
    revocations: number;
    tokenRequests: number;
    githubGrantRevocations: number;
    tokenRequestsInFlight: number;
    tokenRequestsPeakInFlight: number;
  };
  faults: DemoIdpFaults;
  /** Demo provider API requests (counted on arrival, before any fault) and the last one's method, path and headers. */
  api: { requests: number; last: DemoApiRequest | null };
  close(): Promise<void>;
};

// Scopes the IdP grants to the sign-in clients. oidc-provider silently drops requested scopes not listed in
// its configuration, so the provider-looking ones must be listed for the granted `scope` to look like Google's, Microsoft's, GitHub's.
const SIGN_IN_SCOPES = [
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

const defaultLogger: DemoIdpLogger = { info: () => {}, warn: (message) => console.error(`[demo-idp] ${message}`) };

/**
 * A real OAuth 2.0 / OpenID Connect server (oidc-provider) on loopback that plays Google, Microsoft
 * and GitHub: one client each, authorization code + PKCE, short-lived access tokens, rotating
 * refresh tokens, revocation (RFC 7009) and introspection (RFC 7662). Grants live in memory.
 */
export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const appUrls = validateOptions(options);
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? defaultLogger;

  // The issuer needs the port and the provider needs the issuer: listen first, attach the handler after.
  const route: { handler?: (req: IncomingMessage, res: ServerResponse) => unknown } = {};
  // Nothing a request sends may stop the process (npm start hosts the embedded database in it): every
  // throw or rejection of a handler becomes a 4xx/5xx answer here.
  const server = createServer((req, res) => {
    if (!route.handler) return void res.writeHead(503).end();
    const handler = route.handler;
    new Promise((resolve) => resolve(handler(req, res))).catch((error: unknown) => answerFailure(res, error, logger));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new DemoIdpError("listen_failed", `demo IdP could not listen on ${host}:${options.port ?? 0}: ${error.message}`, { cause: error })),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  try {
    return attachProvider({ server, route, issuer, appUrls, options, logger });
  } catch (error) {
    // Do not leave a listening socket behind when the configuration is refused.
    server.close();
    throw error;
  }
}

function attachProvider(input: {
  server: Server;
  route: { handler?: (req: IncomingMessage, res: ServerResponse) => unknown };
  issuer: string;
  appUrls: string[];
  options: DemoIdpOptions;
  logger: DemoIdpLogger;
}): DemoIdp {
  const { server, route, issuer, appUrls, options, logger } = input;
  const avatarUrl = (login: string) => `${issuer}/avatars/${encodeURIComponent(login)}.svg`;

  const counters: DemoIdp["counters"] = {
    refreshGrants: Object.fromEntries(Object.values(DEMO_CLIENT_IDS).map((id) => [id, 0])),
    revocations: 0,
    tokenRequests: 0,
    githubGrantRevocations: 0,
    tokenRequestsInFlight: 0,
    tokenRequestsPeakInFlight: 0,
  };
  const refreshTtl = options.refreshTokenTtlSeconds ?? 30 * 24 * 3600;
  const playedByClientId = new Map(listConnectProviders(options.connectProviders).map((entry) => [entry.clientId, entry]));
  for (const clientId of playedByClientId.keys()) counters.refreshGrants[clientId] = 0;
  const connectIdle = options.connectRefreshIdleSeconds ?? 90 * 24 * 3600;
  const playedBy = (client: { clientId: string } | undefined): PlayedConnectProvider | undefined =>
    client ? playedByClientId.get(client.clientId) : undefined;

  const configuration: Configuration = {
    adapter: createMemoryAdapter(),
    clients: [
      ...PROVIDER_IDS.map((id): ClientMetadata => ({
        client_id: DEMO_CLIENT_IDS[id],
        client_secret: options.clientSecret,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        // Auth.js 0.41 sends Basic credentials for every provider, GitHub included; oidc-provider
        // accepts client_secret_post too for a client registered with client_secret_basic.
        token_endpoint_auth_method: "client_secret_basic",
        // Auth.js's callback for sign-in, and Tessera's own connect flow asking for more scopes (issue 23 §2).
        redirect_uris: appUrls.flatMap((url) => [`${url}/api/auth/callback/${id}`, `${url}${CONNECT_CALLBACK_PATH}`]),
        scope: SIGN_IN_SCOPES.join(" "),
      })),
      // The played connect providers (serve-connect-provider.ts translates their dialect to these clients).
      ...[...playedByClientId.values()].map((entry): ClientMetadata => ({
        client_id: entry.clientId,
        client_secret: options.clientSecret,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
        redirect_uris: appUrls.map((url) => `${url}${CONNECT_CALLBACK_PATH}`),
        scope: entry.scopes.join(" "),
      })),
    ],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    responseTypes: ["code"],
    // PKCE is optional for the connect providers (Slack and Atlassian do not require it); when a challenge
    // is sent, oidc-provider still checks the verifier at the token endpoint.
    pkce: { required: (_ctx, client) => !playedByClientId.has(client.clientId) },
    features: {
      // Our own pages (serve-interaction.ts) at oidc-provider's default /interaction/:uid.
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens (RFC 7009 §2.1). Counted here: a token was found and is revoked next.
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) return false;
          counters.revocations += 1;
          return true;
        },
      },
      introspection: {
        enabled: true,
        // All three clients are confidential and the demo has no resource servers: any of them may ask.
        allowedPolicy: async () => true,
      },
    },
    interactions: { policy: buildInteractionPolicy(playedByClientId) },
    renderError: async (ctx, out) => {
      ctx.type = "html";
      ctx.body = renderErrorPage(out);
    },
    // Email, name and picture in the id_token: Auth.js builds Google's and Microsoft's profile from it.
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "picture"] },
    scopes: [...new Set([...SIGN_IN_SCOPES, ...[...playedByClientId.values()].flatMap((entry) => entry.scopes)])],
    // Refresh tokens without `offline_access` too: Google and GitHub never send that scope.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // The default ties tokens without offline_access to the IdP's browser session: signing in there as
    // someone else (or the session ending) would silently kill stored Google and GitHub demo tokens.
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds ?? 300,
      AuthorizationCode: 60,
      IdToken: 3600,
      // Atlassian's refresh tokens expire when unused: every rotated token gets a fresh idle window.
      RefreshToken: (_ctx, _token, client) => (playedBy(client)?.kind === "atlassian" ? connectIdle : refreshTtl),
      // A connect grant lives as long as its refresh tokens keep being used (Atlassian's absolute limit: 365 days).
      Grant: (_ctx, grant) => (playedByClientId.has(grant.clientId ?? "") ? Math.max(refreshTtl, 365 * 24 * 3600) : refreshTtl),
      Session: 24 * 3600,
      Interaction: 3600,
    },
    jwks: { keys: [generateSigningKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    findAccount: async (_ctx, sub) => {
      const user = findDemoUser(sub);
      if (!user) return undefined;
      // Never a `tid`: Auth.js would re-run Entra discovery with it and refuse the http issuer.
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: user.email,
          email_verified: user.emailVerified,
          name: user.name,
          preferred_username: user.login,
          picture: avatarUrl(user.login),
        }),
      };
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    const clientId = ctx.oidc.client?.clientId;
    if (ctx.oidc.params?.grant_type === "refresh_token" && clientId) counters.refreshGrants[clientId] = (counters.refreshGrants[clientId] ?? 0) + 1;
    if (options.issuedTokensFile) recordIssuedTokens(options.issuedTokensFile, ctx.body);
  });
  // Only the error message: the context holds request parameters (codes, tokens).
  provider.on("server_error", (_ctx: unknown, error: Error) => logger.warn(`server error: ${error.message}`));

  const oidc = provider.callback();
  const appOrigins = [...new Set(appUrls.map((url) => new URL(url).origin))];
  const github = { githubClientId: DEMO_CLIENT_IDS.github, avatarUrl };
  const faults: DemoIdpFaults = {
    tokenDelayMs: 0,
    tokenStatus: null,
    tokenError: null,
    tokenRetryAfter: null,
    apiDelayMs: 0,
    apiStatus: null,
    apiRetryAfter: null,
    apiHeaders: {},
  };
  const api: DemoIdp["api"] = { requests: 0, last: null };
  const connect = {
    provider,
    played: new Map([...playedByClientId.values()].map((entry) => [entry.id, entry])),
    issuer,
    clientSecret: options.clientSecret,
    redirectUris: new Set(appUrls.map((url) => `${url}${CONNECT_CALLBACK_PATH}`)),
    oidc,
    onRevoked: () => void (counters.revocations += 1),
  };
  route.handler = (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "POST" && path === "/token") {
      counters.tokenRequests += 1;
      counters.tokenRequestsInFlight += 1;
      counters.tokenRequestsPeakInFlight = Math.max(counters.tokenRequestsPeakInFlight, counters.tokenRequestsInFlight);
      res.once("close", () => void (counters.tokenRequestsInFlight -= 1));
    }
    if (req.method === "POST" && path === "/token" && (faults.tokenDelayMs > 0 || faults.tokenStatus)) {
      const { tokenDelayMs, tokenStatus, tokenError, tokenRetryAfter } = faults;
      setTimeout(() => {
        if (!tokenStatus) return oidc(req, res);
        req.resume();
        const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
        if (tokenRetryAfter) headers["retry-after"] = tokenRetryAfter;
        res.writeHead(tokenStatus, headers).end(JSON.stringify({ error: tokenError ?? "server_error" }));
      }, tokenDelayMs);
      return;
    }
    if (req.method === "GET" && (path === "/github/user" || path === "/github/user/emails")) {
      serveGithubUser(provider, github, req, res, path === "/github/user/emails" ? "emails" : "user").catch((error: Error) => {
        logger.warn(`github user endpoint failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    const grantRevocation = /^\/applications\/([^/]+)\/grant$/.exec(path);
    if (req.method === "DELETE" && grantRevocation) {
      const revocation = {
        githubClientId: DEMO_CLIENT_IDS.github,
        clientSecret: options.clientSecret,
        onRevoked: () => void (counters.githubGrantRevocations += 1),
      };
      serveGithubGrantRevocation(provider, revocation, grantRevocation[1]!, req, res).catch((error: Error) => {
        logger.warn(`github grant endpoint failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (path.startsWith("/demo-api/")) {
      api.requests += 1;
      const url = new URL(req.url ?? "/", issuer);
      api.last = { provider: path.split("/")[2] ?? "", method: req.method ?? "", path, search: url.search, headers: { ...req.headers } };
      const { apiDelayMs, apiStatus, apiRetryAfter, apiHeaders } = faults;
      for (const [name, value] of Object.entries(apiHeaders)) res.setHeader(name, value);
      const answer = () => {
        const connectApi = connect.played.get(path.split("/")[2] ?? "");
        if (!apiStatus && connectApi) return serveConnectDemoApi(provider, connectApi, req, res, path.slice(`/demo-api/${connectApi.id}`.length) || "/");
        if (!apiStatus) return serveDemoApi(provider, { avatarUrl }, req, res, url);
        req.resume();
        res
          .writeHead(apiStatus, { "content-type": "application/json", ...(apiRetryAfter ? { "retry-after": apiRetryAfter } : {}) })
          .end(JSON.stringify({ error: "fault" }));
      };
      const run = () =>
        Promise.resolve(answer()).catch((error: Error) => {
          logger.warn(`demo API failed: ${error.message}`);
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      if (apiDelayMs > 0) setTimeout(run, apiDelayMs);
      else void run();
      return;
    }
    if (CONNECT_PATH.test(path)) return serveConnectProvider(connect, req, res, path);
    if (INTERACTION_PATH.test(path)) return serveInteraction(provider, req, res, path, appOrigins);
    const avatar = /^\/avatars\/([^/]+)\.svg$/.exec(path);
    if (req.method === "GET" && avatar) return serveAvatar(decodeURIComponent(avatar[1]!), res);
    return oidc(req, res);
  };
  logger.info(`demo identity provider listening at ${issuer}`);

  let closing: Promise<void> | undefined;
  return {
    issuer,
    counters,
    faults,
    api,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (browsers, fetch) would hold close() open.
        server.closeAllConnections();
      })),
  };
}

/** The token response is in ctx.body when grant.success fires. */
function recordIssuedTokens(file: string, body: unknown): void {
  const response = (body ?? {}) as Record<string, unknown>;
  const values = ["access_token", "refresh_token", "id_token"]
    .map((name) => response[name])
    .filter((value): value is string => typeof value === "string" && value.length > 0);
  if (values.length) appendFileSync(file, values.map((value) => `${value}\n`).join(""), { mode: 0o600 });
}

/** A handler threw or rejected: 400 for input it could not decode, else 500; the process keeps serving. */
function answerFailure(res: ServerResponse, error: unknown, logger: DemoIdpLogger): void {
  const badInput = error instanceof URIError || (error as { status?: number })?.status === 400;
  // The message only: a request's parameters can hold codes and tokens.
  if (!badInput) logger.warn(`request failed: ${error instanceof Error ? error.message : String(error)}`);
  if (res.headersSent) return void res.destroy();
  res.writeHead(badInput ? 400 : 500, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ error: badInput ? "invalid_request" : "server_error" }));
}

function validateOptions(options: DemoIdpOptions): string[] {
  if (!options.clientSecret) throw new DemoIdpError("invalid_options", "clientSecret is required");
  if (!options.appUrls.length) throw new DemoIdpError("invalid_options", "appUrls needs at least one Tessera base URL");
  const idle = options.connectRefreshIdleSeconds;
  if (idle !== undefined && (!Number.isInteger(idle) || idle <= 0))
    throw new DemoIdpError("invalid_options", "connectRefreshIdleSeconds must be a positive integer");
  return [
    ...new Set(
      options.appUrls.map((value) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          throw new DemoIdpError("invalid_options", `appUrls entry is not a URL: ${value}`);
        }
        if (url.protocol !== "http:" && url.protocol !== "https:") throw new DemoIdpError("invalid_options", `appUrls entry must be http(s): ${value}`);
        return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
      }),
    ),
  ];
}

/** A fresh RS256 signing key per start (RS256: what Auth.js expects of id_tokens by default). */
function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), use: "sig", alg: "RS256" } as JWK;
}

/**
 * oidc-provider's default policy plus: ask who is signing in on every authorization (like Google's
 * account chooser), so one browser can switch demo users; a login that is not a demo user asks again.
 * The connect providers skip the chooser when the IdP session already knows the person.
 */
function buildInteractionPolicy(played: ReadonlyMap<string, PlayedConnectProvider>) {
  const policy = interactionPolicy.base();
  policy.get("login")!.checks.add(
    new interactionPolicy.Check("demo_choose_account", "the demo IdP asks who is signing in on every authorization", (ctx) => {
      // Connecting an API provider is done by someone already signed in: keep their IdP session (consent only).
      const sessionAccount = ctx.oidc.session?.accountId;
      if (ctx.oidc.client && played.has(ctx.oidc.client.clientId) && sessionAccount && findDemoUser(sessionAccount)) {
        return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      }
      const accountId = ctx.oidc.result?.login?.accountId;
      return accountId && findDemoUser(accountId) ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}
