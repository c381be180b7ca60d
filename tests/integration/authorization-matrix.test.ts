import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { API_ROUTE } from "@/lib/api/with-api";
import { scopesFor, type Scope } from "@/lib/pat/scopes";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { APP_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { getDb } from "@/lib/db/client";
import { createWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { callRoute, createSessionCookie, createTokenAsUser, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The authorisation matrix, generated from the code: every `app/**\/route.ts` export is found on
 * disk, must go through withApi (its marker) unless allow-listed, must have a row in ROUTES below,
 * and is called as every kind of caller; the status must equal the row. A new route or method
 * without a row fails here.
 *
 * Mutation checks (each made once, saw this file go red, restored):
 * - lib/api/with-api.ts, in withApi: `if ("admin" in options && options.admin && principal.user.role !== "ADMIN") throw notFound();`
 *   removed → the admin rows fail (user session / other user get 200 from the admin API).
 * - app/api/v1/connections/route.ts: `scope: "connections:read"` changed to `scope: "profile:read"` → the
 *   patWithoutScope cell of `GET /api/v1/connections` fails (200 instead of 403).
 * - lib/api/with-api.ts: `principal.via !== "session" && scope && …` changed to `principal.via === "pat" && …` (no scope
 *   check for app tokens) → every admin row's and applications:write row's appToken cell fails (200 instead of 403).
 */

const APP_DIR = join(process.cwd(), "app");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Routes that do not go through withApi, and why. */
const NOT_WRAPPED: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own handler (sign-in, callback, sign-out); it does its own CSRF and state checks",
  "/api/health": "public liveness probe; answers the same to everyone and reveals nothing",
  "/api/health/live": "public liveness probe for orchestrators; no database call, reveals nothing",
  "/api/health/ready": "public readiness probe for load balancers; answers the same to everyone",
  "/api/metrics": "Prometheus scrape: METRICS_TOKEN bearer, or loopback only when unset (lib/metrics/authorize-metrics-request.ts)",
  "/api/openapi.json": "the public API reference (issue 14): describes the API, holds no secrets, answers the same to everyone",
  "/connect/callback":
    "where providers send the browser back (issue 23): a redirect, never JSON; finishes a connect flow only for the session that started it (lib/connect/complete-connect.ts)",
  "/mcp": "the MCP endpoint (issue 24): JSON-RPC with its own bearer door for the /mcp audience (lib/mcp/authenticate-mcp-request.ts)",
};

type Who = "signedOut" | "user" | "otherUser" | "admin" | "patWithoutScope" | "patWithScope" | "service" | "appToken";
const EVERYONE: Who[] = ["signedOut", "user", "otherUser", "admin", "patWithoutScope", "patWithScope", "service", "appToken"];

type World = {
  /** User A: owns the resources the rows address. */
  user: { id: string; email: string; cookie: string };
  /** User B: a different signed-in person addressing A's resources. */
  otherUser: { id: string; email: string; cookie: string };
  admin: { id: string; email: string; cookie: string };
};

type Row = {
  /** The scope a PAT needs (null: PATs are not accepted at all). */
  scope: Scope | null;
  /** Whose PAT the two PAT cells use: A's, or the admin's for admin routes. */
  patOwner?: "user" | "admin";
  /** Fresh path params and body for one call (so a successful mutation never changes the next cell). */
  setup?: (world: World) => Promise<{ params?: Record<string, string>; body?: unknown; headers?: Record<string, string> }>;
  expect: Record<Who, number>;
};

const allowed = (status: number, denied: Partial<Record<Who, number>>): Record<Who, number> =>
  Object.fromEntries(EVERYONE.map((who) => [who, denied[who] ?? status])) as Record<Who, number>;

async function patId(world: World): Promise<string> {
  const created = await createTokenAsUser({ id: world.user.id, role: "USER" }, { name: `victim-${Math.random()}`, scopes: ["profile:read"], expiresInDays: 1 });
  if (!created.ok) throw new Error(created.message);
  return created.view.id;
}

async function serviceClientId(world: World): Promise<string> {
  const created = await createServiceClient(
    { name: `matrix-svc-${Math.random()}`, permissions: ["tokens:introspect"] },
    { type: "admin", id: world.admin.id },
    null,
  );
  if (!created.ok) throw new Error(created.message);
  return created.view.id;
}

async function webhookId(world: World): Promise<string> {
  // A public IP literal: passes the SSRF check without DNS (nothing is delivered in this file).
  const created = await createWebhookEndpoint({ url: "https://93.184.216.34/hooks", events: ["pat.revoked"] }, { type: "admin", id: world.admin.id }, null);
  if (!created.ok) throw new Error(created.message);
  return created.id;
}

/** An endpoint whose test event ends at once: a loopback address (refused by the SSRF check, or nothing listens on port 9). */
async function unreachableWebhookId(world: World): Promise<string> {
  const id = await webhookId(world);
  await getDb().webhookEndpoint.update({ where: { id }, data: { url: "http://127.0.0.1:9/hooks" } });
  return id;
}

async function webhookDelivery(world: World): Promise<{ id: string; deliveryId: string }> {
  const id = await webhookId(world);
  const delivery = await getDb().webhookDelivery.create({
    data: { endpointId: id, eventId: "evt_matrix", eventType: "pat.revoked", payload: {}, status: "FAILED", attempts: 1 },
  });
  return { id, deliveryId: delivery.id };
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function applicationId(world: World): Promise<string> {
  const created = await createApplication(
    world.user.id,
    createApplicationSchema.parse({ name: `matrix-app-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: true }),
    null,
  );
  if (!created.ok) throw new Error(created.message);
  return created.view.id;
}

/**
 * An access token of a third-party app that `userId` authorized with every scope an app may have,
 * obtained the way an app obtains one (authorization code + PKCE at the token endpoint).
 */
async function appAccessToken(userId: string, ownerId: string): Promise<string> {
  const app = await createApplication(
    ownerId,
    createApplicationSchema.parse({ name: `matrix-client-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: false }),
    null,
  );
  if (!app.ok) throw new Error(app.message);
  const verifier = "v".repeat(43);
  const validation = await validateAuthorizationRequest({
    client_id: app.view.clientId,
    redirect_uri: "https://app.example/cb",
    response_type: "code",
    scope: APP_SCOPES.join(" "),
    code_challenge: s256(verifier),
    code_challenge_method: "S256",
  });
  if (!validation.ok) throw new Error("authorization request refused");
  await createSessionCookie(userId);
  const code = await issueAuthorizationCode(userId, validation.request, { consented: true, ip: null });
  const response = await callRoute(tokenRoute, {
    method: "POST",
    path: "/api/oauth/token",
    headers: FORM,
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: "https://app.example/cb",
      code_verifier: verifier,
      client_id: app.view.clientId,
    }).toString(),
  });
  return response.json().access_token as string;
}

/** Admin-only, PATs with the admin scope accepted: everyone else 401 / 404 / 403 (an app's token, even an admin's, never has admin). */
const ADMIN_ONLY = { signedOut: 401, user: 404, otherUser: 404, patWithoutScope: 403, service: 401, appToken: 403 } as const;

/** Every method of the provider API proxy, for A as the person. */
const PROXY_ROW: Row = {
  scope: null,
  setup: async (world) => ({ params: { provider: "github", "...path": "user" }, headers: { "tessera-on-behalf-of": world.user.id } }),
  expect: allowed(401, { service: 403 }),
};

/** The expected outcome of every route × method × caller. */
const ROUTES: Record<string, Row> = {
  "GET /api/health": { scope: null, expect: allowed(200, {}) },
  "GET /api/health/live": { scope: null, expect: allowed(200, {}) },
  "GET /api/health/ready": { scope: null, expect: allowed(200, {}) },
  // METRICS_TOKEN unset here, and every caller comes from a non-loopback address: refused whoever it is.
  "GET /api/metrics": { scope: null, expect: allowed(403, {}) },
  // The API reference is public: the same document for everyone (it holds no secrets).
  "GET /api/openapi.json": { scope: null, expect: allowed(200, {}) },
  // Everyone is sent on (303): signed out to sign-in, signed in to the connections page (no state here: nothing to finish).
  "GET /connect/callback": { scope: null, expect: allowed(303, {}) },
  "POST /api/tokens": {
    scope: null,
    setup: async () => ({ body: { name: `matrix-${Math.random()}`, scopes: ["profile:read"], expiresInDays: 1 } }),
    expect: allowed(201, { signedOut: 401, patWithoutScope: 401, patWithScope: 401, service: 401, appToken: 401 }),
  },
  "GET /api/tokens": { scope: "tokens:read", expect: allowed(200, { signedOut: 401, patWithoutScope: 403, service: 401 }) },
  "GET /api/v1/tokens": { scope: "tokens:read", expect: allowed(200, { signedOut: 401, patWithoutScope: 403, service: 401 }) },
  "GET /api/v1/me": { scope: "profile:read", expect: allowed(200, { signedOut: 401, patWithoutScope: 403, service: 401 }) },
  "GET /api/v1/connections": { scope: "connections:read", expect: allowed(200, { signedOut: 401, patWithoutScope: 403, service: 401 }) },
  // A's token: B and the admin (who is not its owner) get the same 404 as for a token that does not exist.
  "DELETE /api/tokens/[id]": {
    scope: "tokens:write",
    setup: async (world) => ({ params: { id: await patId(world) } }),
    expect: allowed(204, { signedOut: 401, otherUser: 404, admin: 404, patWithoutScope: 403, service: 401 }),
  },
  // A's token with only tokens:write, so the tokens:write PAT holds every scope of what it regenerates
  // (a PAT may not mint a copy of a broader token: pat-rotation.test.ts). B and the admin get the unknown-token 404.
  "POST /api/tokens/[id]/rotate": {
    scope: "tokens:write",
    setup: async (world) => {
      const created = await createTokenAsUser(
        { id: world.user.id, role: "USER" },
        { name: `rotate-${Math.random()}`, scopes: ["tokens:write"], expiresInDays: 1 },
      );
      if (!created.ok) throw new Error(created.message);
      return { params: { id: created.view.id }, body: { overlapSeconds: 0 } };
    },
    // An app's token (tokens:write granted) is refused: a PAT minted for it would outlive the app's grant.
    expect: allowed(201, { signedOut: 401, otherUser: 404, admin: 404, patWithoutScope: 403, service: 401, appToken: 403 }),
  },
  // No authentication at all, like GitHub's credential revocation API: everyone gets the same 202.
  "POST /api/credentials/report-leak": { scope: null, setup: async () => ({ body: { tokens: ["tsr_pat_nothing"] } }), expect: allowed(202, {}) },
  // GitHub's secret scanning: its ECDSA signature is the only credential; unsigned, everyone gets the same 401.
  "POST /api/credentials/github-secret-scanning": {
    scope: null,
    setup: async () => ({ body: [{ token: "tsr_pat_nothing", type: "t" }] }),
    expect: allowed(401, {}),
  },
  "GET /api/admin/users/[id]/provider-tokens": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: world.user.id } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "POST /api/admin/users/[id]/revoke-all": {
    scope: "admin",
    patOwner: "admin",
    // A fresh target each time: a successful revoke-all must not sign A out for the next cells.
    setup: async () => ({ params: { id: (await createUser()).id } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "POST /api/admin/services": {
    scope: "admin",
    patOwner: "admin",
    setup: async () => ({ body: { name: `matrix-svc-${Math.random()}`, permissions: ["credentials:github:read"] } }),
    expect: allowed(201, ADMIN_ONLY),
  },
  "GET /api/admin/services": { scope: "admin", patOwner: "admin", expect: allowed(200, ADMIN_ONLY) },
  "PATCH /api/admin/services/[id]": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await serviceClientId(world) }, body: { status: "disabled" } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "DELETE /api/admin/services/[id]": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await serviceClientId(world) } }),
    expect: allowed(204, ADMIN_ONLY),
  },
  "POST /api/admin/services/[id]/rotate-secret": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await serviceClientId(world) }, body: { overlapSeconds: 60 } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "POST /api/admin/webhooks": {
    scope: "admin",
    patOwner: "admin",
    setup: async () => ({ body: { url: "https://93.184.216.34/hooks", events: ["pat.revoked", "pat.leaked"] } }),
    expect: allowed(201, ADMIN_ONLY),
  },
  "GET /api/admin/webhooks": { scope: "admin", patOwner: "admin", expect: allowed(200, ADMIN_ONLY) },
  "PATCH /api/admin/webhooks/[id]": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await webhookId(world) }, body: { status: "active" } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "DELETE /api/admin/webhooks/[id]": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await webhookId(world) } }),
    expect: allowed(204, ADMIN_ONLY),
  },
  "POST /api/admin/webhooks/[id]/test": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: { id: await unreachableWebhookId(world) } }),
    expect: allowed(200, ADMIN_ONLY),
  },
  "POST /api/admin/webhooks/[id]/deliveries/[deliveryId]/redeliver": {
    scope: "admin",
    patOwner: "admin",
    setup: async (world) => ({ params: await webhookDelivery(world) }),
    expect: allowed(202, ADMIN_ONLY),
  },
  // The standard OAuth endpoints authenticate service clients (client_secret_basic / _post), never a session or a PAT.
  "GET /.well-known/oauth-authorization-server": { scope: null, expect: allowed(200, {}) },
  // RFC 9728 protected-resource metadata: public documents, whatever credential comes along.
  "GET /.well-known/oauth-protected-resource": { scope: null, expect: allowed(200, {}) },
  "GET /.well-known/oauth-protected-resource/api/v1": { scope: null, expect: allowed(200, {}) },
  "GET /.well-known/oauth-protected-resource/mcp": { scope: null, expect: allowed(200, {}) },
  // Only an application's token issued for /mcp opens it (mcp-endpoint.test.ts): a session, a PAT, a service token
  // or an app token for the API is 401 invalid_token.
  "POST /mcp": { scope: null, setup: async () => ({ body: { jsonrpc: "2.0", id: 1, method: "tools/list" } }), expect: allowed(401, {}) },
  "GET /mcp": { scope: null, expect: allowed(401, {}) },
  "DELETE /mcp": { scope: null, expect: allowed(401, {}) },
  "POST /api/oauth/token": { scope: null, setup: async () => ({ body: "grant_type=client_credentials", headers: FORM }), expect: allowed(401, {}) },
  "POST /api/oauth/introspect": { scope: null, setup: async () => ({ body: "token=tsr_pat_x", headers: FORM }), expect: allowed(401, {}) },
  // RFC 7591 under the default policy (open): anyone registers a public client; a credential sent along changes nothing.
  // Each cell from its own address: registrations are limited per address.
  "POST /api/oauth/register": {
    scope: null,
    setup: async () => ({
      body: { redirect_uris: ["https://matrix.example/cb"], token_endpoint_auth_method: "none" },
      headers: { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250) + 1}` },
    }),
    expect: allowed(201, {}),
  },
  // RFC 8628: an application authenticates as at the token endpoint; no client named is invalid_client, whoever calls.
  "POST /api/oauth/device_authorization": { scope: null, setup: async () => ({ body: "scope=profile:read", headers: FORM }), expect: allowed(401, {}) },
  // RFC 7009: no client authentication needed (a PAT is revoked by presenting it); a Bearer header is not client authentication.
  "POST /api/oauth/revoke": {
    scope: null,
    setup: async () => ({ body: "token=tsr_pat_x", headers: FORM }),
    expect: allowed(200, { patWithoutScope: 401, patWithScope: 401, service: 401, appToken: 401 }),
  },
  // A person's own OAuth applications (issue 12): session or PAT with applications:*; an app's token never
  // carries applications:write, so it cannot register, rotate or delete apps. B and the admin cannot touch A's app.
  "POST /api/applications": {
    scope: "applications:write",
    setup: async () => ({ body: { name: `matrix-app-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: true } }),
    expect: allowed(201, { signedOut: 401, patWithoutScope: 403, service: 401, appToken: 403 }),
  },
  "GET /api/applications": { scope: "applications:read", expect: allowed(200, { signedOut: 401, patWithoutScope: 403, service: 401 }) },
  "DELETE /api/applications/[id]": {
    scope: "applications:write",
    setup: async (world) => ({ params: { id: await applicationId(world) } }),
    expect: allowed(204, { signedOut: 401, otherUser: 404, admin: 404, patWithoutScope: 403, service: 401, appToken: 403 }),
  },
  "POST /api/applications/[id]/rotate-secret": {
    scope: "applications:write",
    setup: async (world) => ({ params: { id: await applicationId(world) }, body: { overlapSeconds: 60 } }),
    expect: allowed(200, { signedOut: 401, otherUser: 404, admin: 404, patWithoutScope: 403, service: 401, appToken: 403 }),
  },
  // The provider API proxy: service access tokens only. The matrix's service token lacks proxy:<provider> (403,
  // before any provider call); sessions and PATs are not service credentials (401). Allowed calls: provider-proxy.test.ts.
  "GET /api/proxy/[provider]/[...path]": PROXY_ROW,
  "HEAD /api/proxy/[provider]/[...path]": PROXY_ROW,
  "POST /api/proxy/[provider]/[...path]": PROXY_ROW,
  "PUT /api/proxy/[provider]/[...path]": PROXY_ROW,
  "PATCH /api/proxy/[provider]/[...path]": PROXY_ROW,
  "DELETE /api/proxy/[provider]/[...path]": PROXY_ROW,
};

type Handler = Parameters<typeof callRoute>[0];
type RouteExport = { key: string; path: string; method: string; handler: Handler };

/** Every exported HTTP method of every app/**\/route.ts, imported the way Next would. */
async function discoverRoutes(): Promise<RouteExport[]> {
  const files = (readdirSync(APP_DIR, { recursive: true }) as string[]).filter((file) => file.endsWith(`${sep}route.ts`) || file === "route.ts");
  const found: RouteExport[] = [];
  for (const file of files.sort()) {
    const path = "/" + relative(APP_DIR, join(APP_DIR, file)).split(sep).slice(0, -1).join("/");
    const exports = (await import(join(APP_DIR, file))) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof exports[method] === "function") found.push({ key: `${method} ${path}`, path, method, handler: exports[method] as Handler });
    }
  }
  return found;
}

const fill = (path: string, params: Record<string, string>) => path.replace(/\[([^\]]+)\]/g, (_, name: string) => encodeURIComponent(params[name] ?? name));

let ipCounter = 0;
/** A different client address per call: the service token at a PAT route is an auth failure, and the limiter counts those per IP. */
const nextIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

describeOnEachDatabase("authorisation matrix", () => {
  let routes: RouteExport[];
  let world: World;
  const pats = new Map<string, string>();
  let serviceAccessToken: string | undefined;
  const appTokens = new Map<string, string>();

  /** A's (or, on admin rows, the admin's) third-party app access token with every scope an app may have. */
  async function appTokenOf(owner: "user" | "admin"): Promise<string> {
    if (!appTokens.has(owner)) appTokens.set(owner, await appAccessToken(world[owner].id, world.otherUser.id));
    return appTokens.get(owner)!;
  }

  /** A service's own access token (client_credentials), presented where a person's credential is expected. */
  async function serviceToken(): Promise<string> {
    if (!serviceAccessToken) {
      const id = await serviceClientId(world);
      serviceAccessToken = (await issueServiceToken(id, ["tokens:introspect"])).token;
    }
    return serviceAccessToken;
  }

  beforeAll(async () => {
    routes = await discoverRoutes();
    const make = async (email: string, role: "USER" | "ADMIN" = "USER") => {
      const user = await createUser({ email, role });
      return { id: user.id, email, cookie: await createSessionCookie(user.id) };
    };
    world = { user: await make("matrix-a@example.com"), otherUser: await make("matrix-b@example.com"), admin: await make("matrix-admin@example.com", "ADMIN") };
    await storeSignInTokens(world.user.id, "github", { accessToken: "matrix-github-access-token" });
  });

  /** A PAT of `owner` with exactly `scopes` (cached: PAT creation is not what is under test). */
  async function patOf(owner: "user" | "admin", scopes: Scope[]): Promise<string> {
    const key = `${owner}:${scopes.join(",")}`;
    if (!pats.has(key)) {
      const person = world[owner];
      const created = await createTokenAsUser(
        { id: person.id, role: owner === "admin" ? "ADMIN" : "USER" },
        { name: `matrix-${pats.size}-${key}`.slice(0, 100), scopes, expiresInDays: 1 },
      );
      if (!created.ok) throw new Error(created.message);
      pats.set(key, created.token);
    }
    return pats.get(key)!;
  }

  async function credentials(who: Who, row: Row): Promise<Record<string, string>> {
    const patOwner = row.patOwner ?? "user";
    const every = scopesFor(patOwner === "admin" ? "ADMIN" : "USER");
    switch (who) {
      case "signedOut":
        return {};
      case "user":
      case "otherUser":
      case "admin":
        return sameOrigin(world[who].cookie);
      case "patWithoutScope":
        return {
          authorization: `Bearer ${await patOf(
            patOwner,
            every.filter((scope) => scope !== row.scope),
          )}`,
        };
      case "patWithScope":
        return { authorization: `Bearer ${await patOf(patOwner, row.scope ? [row.scope] : every)}` };
      case "service":
        return { authorization: `Bearer ${await serviceToken()}` };
      case "appToken":
        return { authorization: `Bearer ${await appTokenOf(patOwner)}` };
    }
  }

  it("finds every route handler (a sanity check on the discovery itself)", () => {
    const keys = routes.map((route) => route.key);
    expect(keys).toContain("GET /api/v1/me");
    expect(keys).toContain("POST /api/oauth/token");
    expect(keys).toContain("GET /api/auth/[...nextauth]");
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(ROUTES).length);
  });

  it("every route export goes through withApi, unless allow-listed with a reason", () => {
    const unwrapped = routes.filter((route) => !(API_ROUTE in route.handler)).map((route) => route.path);
    expect([...new Set(unwrapped)].sort()).toEqual(Object.keys(NOT_WRAPPED).sort());
    // The allow-list stays honest: an entry that is wrapped after all is removed.
    for (const route of routes.filter((r) => NOT_WRAPPED[r.path])) expect(API_ROUTE in route.handler, route.key).toBe(false);
  });

  it("every route export has a row in the table, and every row a route", () => {
    const run = routes.filter((route) => !route.path.startsWith("/api/auth/")).map((route) => route.key);
    expect(run.sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it("every caller gets the status in the table", async () => {
    const mismatches: string[] = [];
    for (const route of routes.filter((r) => ROUTES[r.key])) {
      const row = ROUTES[route.key]!;
      for (const who of EVERYONE) {
        const { params = {}, body, headers: extra } = (await row.setup?.(world)) ?? {};
        const headers = { ...(await credentials(who, row)), "x-forwarded-for": nextIp(), ...extra };
        const response = await callRoute(route.handler, { method: route.method, path: fill(route.path, params), headers, body, params });
        if (response.status !== row.expect[who])
          mismatches.push(`${route.key} as ${who}: expected ${row.expect[who]}, got ${response.status} ${response.text.slice(0, 120)}`);
        // B never reads anything of A's, whatever the status.
        if (who === "otherUser" && (response.text.includes(world.user.id) || response.text.includes(world.user.email)))
          mismatches.push(`${route.key} as otherUser: A's data in the response`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
