import { randomBytes } from "node:crypto";
import * as client from "openid-client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { GET as rootResourceMetadataRoute } from "@/app/.well-known/oauth-protected-resource/route";
import { GET as apiResourceMetadataRoute } from "@/app/.well-known/oauth-protected-resource/api/v1/route";
import { POST as createApplicationRoute } from "@/app/api/applications/route";
import { POST as introspectRoute } from "@/app/api/oauth/introspect/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as connectionsRoute } from "@/app/api/v1/connections/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { APP_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { generateAppAccessToken, hashAppSecret, s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { pickAuthorizationParams } from "@/lib/oauth-apps/authorize-path";
import { validateAuthorizationRequest, type AuthorizationParams } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { nextAuthorizationStep } from "@/lib/oauth-apps/next-authorization-step";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { callRoute, createSessionCookie, createTokenAsUser, createUser, sameOrigin } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 22 §1-3: default scopes (RFC 6749 §3.3), resource indicators (RFC 8707) and protected-resource
 * metadata (RFC 9728), through the real route handlers over HTTP, with openid-client where a client acts.
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/oauth-apps/verify-bearer-token.ts: the audience branch removed → "a token for another audience" fails (200).
 * - lib/oauth-apps/protected-resources.ts: the origin comparison removed → "an unknown resource" fails (evil.example reaches the consent screen).
 */

const REDIRECT = "https://app.example/callback";
const API = "/api/v1";

describeOnEachDatabase("OAuth resource indicators, default scopes and protected-resource metadata", () => {
  let server: { url: string; close(): Promise<void> };
  let owner: { id: string; cookie: string };
  let introspector: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await serveRouteHandlers({
      "GET /.well-known/oauth-authorization-server": metadataRoute,
      "GET /.well-known/oauth-protected-resource": rootResourceMetadataRoute,
      "GET /.well-known/oauth-protected-resource/api/v1": apiResourceMetadataRoute,
      "POST /api/oauth/token": tokenRoute,
      "POST /api/oauth/introspect": introspectRoute,
      "GET /api/v1/me": meRoute,
      "GET /api/v1/connections": connectionsRoute,
    });
    const user = await createUser({ email: `dev-${randomBytes(3).toString("hex")}@example.com` });
    owner = { id: user.id, cookie: await createSessionCookie(user.id) };
    const admin = await createUser({ role: "ADMIN" });
    const service = await createServiceClient(
      { name: `introspector-${Math.random()}`, permissions: ["tokens:introspect"] },
      { type: "admin", id: admin.id },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    introspector = { clientId: service.view.clientId, clientSecret: service.clientSecret };
  });
  afterAll(async () => server?.close());

  async function newApp(extra: { defaultScopes?: string[] } = {}) {
    const created = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `app-${Math.random()}`, redirectUris: [REDIRECT], confidential: true, ...extra }),
      null,
    );
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, clientSecret: created.clientSecret!, defaultScopes: created.view.defaultScopes };
  }

  function params(app: { clientId: string }, codeVerifier: string, extra: AuthorizationParams = {}): AuthorizationParams {
    return {
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      state: "st",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
      ...extra,
    };
  }

  /** A code as the consent screen issues it, for a request validated against this server's issuer. */
  async function authorize(app: { clientId: string }, extra: AuthorizationParams = {}) {
    const person = await createUser();
    await createSessionCookie(person.id);
    const codeVerifier = randomBytes(32).toString("base64url");
    const validation = await validateAuthorizationRequest(params(app, codeVerifier, extra), server.url);
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    const code = await issueAuthorizationCode(person.id, validation.request, { consented: true, ip: null });
    if (!code) throw new Error("no code");
    return { userId: person.id, code, codeVerifier, scopes: validation.request.scopes };
  }

  async function post(path: string, form: Record<string, string>, creds: { clientId: string; clientSecret: string }) {
    const response = await fetch(server.url + path, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams(form),
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  }
  const redeem = (app: { clientId: string; clientSecret: string }, grant: { code: string; codeVerifier: string }, extra: Record<string, string> = {}) =>
    post("/api/oauth/token", { grant_type: "authorization_code", code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.codeVerifier, ...extra }, app);
  const introspect = async (token: string) => (await post("/api/oauth/introspect", { token }, introspector)).json();
  const get = (path: string, token?: string) => fetch(server.url + path, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it("default scopes: an app chooses them at registration (API), profile:read when it chose none, and only grantable ones", async () => {
    const created = await callRoute(createApplicationRoute, {
      method: "POST",
      path: "/api/applications",
      headers: sameOrigin(owner.cookie),
      body: { name: "Defaults", redirectUris: [REDIRECT], confidential: false, defaultScopes: ["connections:read", "profile:read"] },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ defaultScopes: ["connections:read", "profile:read"] });
    expect((await newApp()).defaultScopes).toEqual(["profile:read"]);
    for (const defaultScopes of [["admin"], ["applications:write"], ["nonsense"]]) {
      const refused = await callRoute(createApplicationRoute, {
        method: "POST",
        path: "/api/applications",
        headers: sameOrigin(owner.cookie),
        body: { name: "Bad", redirectUris: [REDIRECT], confidential: true, defaultScopes },
      });
      expect(refused.status, JSON.stringify(defaultScopes)).toBe(400);
    }
  });

  it("default scopes: a request without scope asks for the app's defaults, and the consent screen lists them", async () => {
    const app = await newApp({ defaultScopes: ["connections:read", "profile:read"] });
    const viewer = await createUser();
    await createSessionCookie(viewer.id);
    const step = await nextAuthorizationStep(params(app, randomBytes(32).toString("base64url")), { id: viewer.id }, { issuer: server.url, ip: null });
    expect(step).toMatchObject({ kind: "consent", request: { scopes: ["connections:read", "profile:read"], resource: API } });
    // An empty scope is still a request for nothing.
    expect(await validateAuthorizationRequest(params(app, randomBytes(32).toString("base64url"), { scope: "" }), server.url)).toMatchObject({
      ok: false,
      error: "invalid_scope",
    });

    const grant = await authorize(app);
    const redeemed = await redeem(app, grant);
    expect(redeemed.status).toBe(200);
    expect(redeemed.json()).toMatchObject({ scope: "connections:read profile:read" });
  });

  it("resource round trip with openid-client: authorize and token with resource, aud in introspection, /api/v1 works, a refresh keeps the audience", async () => {
    const app = await newApp();
    const config = await client.discovery(new URL(server.url), app.clientId, undefined, client.ClientSecretBasic(app.clientSecret), {
      algorithm: "oauth2",
      execute: [client.allowInsecureRequests],
    });
    const resource = `${server.url}${API}`;
    const codeVerifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "profile:read",
      state: "s1",
      resource,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    });
    const validation = await validateAuthorizationRequest(Object.fromEntries(url.searchParams), server.url);
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    expect(validation.request.resource).toBe(API);
    const person = await createUser();
    await createSessionCookie(person.id);
    const code = await issueAuthorizationCode(person.id, validation.request, { consented: true, ip: null });
    const tokens = await client.authorizationCodeGrant(
      config,
      new URL(`${REDIRECT}?code=${code}&state=s1&iss=${encodeURIComponent(server.url)}`),
      { pkceCodeVerifier: codeVerifier, expectedState: "s1" },
      { resource },
    );
    expect((await get("/api/v1/me", tokens.access_token)).status).toBe(200);
    expect(await introspect(tokens.access_token)).toMatchObject({ active: true, aud: resource, token_type: "Bearer" });
    expect(await introspect(tokens.refresh_token!)).toMatchObject({ active: true, aud: resource, token_type: "refresh_token" });

    // A refresh naming the same resource (with a trailing slash), or none, keeps it.
    const same = await client.refreshTokenGrant(config, tokens.refresh_token!, { resource: `${resource}/` });
    expect(await introspect(same.access_token)).toMatchObject({ active: true, aud: resource });
    const none = await client.refreshTokenGrant(config, same.refresh_token!);
    expect(await introspect(none.access_token)).toMatchObject({ active: true, aud: resource });
    // A PAT has no audience.
    const pat = await createTokenAsUser({ id: person.id, role: "USER" }, { name: "p", scopes: ["profile:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    expect(await introspect(pat.token)).not.toHaveProperty("aud");
  });

  it("a code or token without resource is for the API; so is the root metadata's resource (the issuer itself)", async () => {
    const app = await newApp();
    const plain = await redeem(app, await authorize(app));
    expect(await introspect(String(plain.json().access_token))).toMatchObject({ aud: `${server.url}${API}` });
    const rooted = await redeem(app, await authorize(app, { resource: `${server.url}/` }), { resource: server.url });
    expect(rooted.status).toBe(200);
    expect(await introspect(String(rooted.json().access_token))).toMatchObject({ aud: `${server.url}${API}` });
  });

  it("an unknown resource is invalid_target: redirected back from /oauth/authorize, 400 at the token endpoint (code and refresh)", async () => {
    const app = await newApp();
    const viewer = await createUser();
    await createSessionCookie(viewer.id);
    for (const resource of ["https://evil.example/api/v1", `${server.url}/api/v2`, `${server.url}/api/v1#f`, "not a url"]) {
      const step = await nextAuthorizationStep(
        params(app, randomBytes(32).toString("base64url"), { resource }),
        { id: viewer.id },
        { issuer: server.url, ip: null },
      );
      expect(step.kind, resource).toBe("redirect");
      const location = new URL((step as { location: string }).location);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get("error")).toBe("invalid_target");
      expect(location.searchParams.get("state")).toBe("st");
      expect(location.searchParams.get("iss")).toBe(server.url);
    }

    const unknown = await redeem(app, await authorize(app), { resource: "https://evil.example/api/v1" });
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toMatchObject({ error: "invalid_target" });

    const tokens = (await redeem(app, await authorize(app))).json() as { refresh_token: string; access_token: string };
    for (const resource of ["https://evil.example/api/v1", `${server.url}/mcp`]) {
      const refused = await post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, resource }, app);
      expect(refused.status, resource).toBe(400);
      expect(refused.json()).toMatchObject({ error: "invalid_target" });
    }
    // Refused before anything was rotated: the refresh token still works.
    expect((await post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, app)).status).toBe(200);
  });

  it("a repeated resource on /oauth/authorize is invalid_target, not a request without one; sign-in keeps both", async () => {
    // Mutation check: with the `resource` lines of pickAuthorizationParams removed (repeated ones dropped, as before),
    // the signed-in request reaches the consent screen for the API and this test fails.
    const app = await newApp();
    const viewer = await createUser();
    await createSessionCookie(viewer.id);
    const api = `${server.url}${API}`;
    for (const resources of [
      [api, `${server.url}/`],
      [api, api],
    ]) {
      // As the page receives it from Next.js: a repeated query parameter is an array.
      const query = { ...params(app, randomBytes(32).toString("base64url")), resource: resources };
      const step = await nextAuthorizationStep(pickAuthorizationParams(query), { id: viewer.id }, { issuer: server.url, ip: null });
      expect(step.kind, resources.join(" ")).toBe("redirect");
      const location = new URL((step as { location: string }).location);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get("error")).toBe("invalid_target");
      expect(location.searchParams.get("state")).toBe("st");

      // Signed out: the way back from sign-in carries both values, so the request is refused then too.
      const signIn = await nextAuthorizationStep(pickAuthorizationParams(query), null, { issuer: server.url, ip: null });
      expect(signIn.kind).toBe("sign-in");
      const back = new URL(new URL((signIn as { location: string }).location, server.url).searchParams.get("callbackUrl")!, server.url);
      expect(back.searchParams.getAll("resource")).toEqual(resources);
    }
    // The client and redirect URI are checked first: an unregistered redirect URI stays on Tessera's error page.
    const untrusted = { ...params(app, randomBytes(32).toString("base64url")), redirect_uri: "https://evil.example/cb", resource: [api, api] };
    expect(await nextAuthorizationStep(pickAuthorizationParams(untrusted), { id: viewer.id }, { issuer: server.url, ip: null })).toMatchObject({
      kind: "error-page",
    });
    // The token endpoint refuses a repeated parameter of any name (lib/oauth/read-form.ts).
    const grant = await authorize(app);
    const form = new URLSearchParams({ grant_type: "authorization_code", code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.codeVerifier });
    form.append("resource", api);
    form.append("resource", api);
    const repeated = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`,
      },
      body: form,
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({ error: "invalid_request" });
  });

  it("a token for another audience is refused at /api/v1 (401 invalid_token), and cannot be refreshed into an API token", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    const tokens = (await redeem(app, grant)).json() as { access_token: string; refresh_token: string };
    const row = await getDb().oAuthAccessToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(tokens.access_token) } });
    // No second resource exists yet (issue 24 adds /mcp): a row minted for it, as it would be.
    const other = generateAppAccessToken();
    await getDb().oAuthAccessToken.create({
      data: {
        id: `oat_other${randomBytes(4).toString("hex")}`,
        grantId: row.grantId,
        familyId: row.familyId,
        tokenHash: hashAppSecret(other),
        scopes: row.scopes,
        audience: "/mcp",
        expiresAt: row.expiresAt,
      },
    });
    const refused = await get("/api/v1/me", other);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await get("/api/v1/me", tokens.access_token)).status).toBe(200);
    // Introspection still tells its audience (it is a live token, for another resource).
    expect(await introspect(other)).toMatchObject({ active: true, aud: `${server.url}/mcp` });

    // A refresh token of that other audience: asking for the API is invalid_target; without resource its
    // new access token keeps the other audience, so the API still refuses it.
    await getDb().oAuthRefreshToken.update({ where: { tokenHash: hashAppSecret(tokens.refresh_token) }, data: { audience: "/mcp" } });
    const widened = await post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, resource: `${server.url}${API}` }, app);
    expect(widened.status).toBe(400);
    expect(widened.json()).toMatchObject({ error: "invalid_target" });
    const kept = await post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, app);
    expect(kept.status).toBe(200);
    expect((await get("/api/v1/me", String(kept.json().access_token))).status).toBe(401);
  });

  it("protected-resource metadata: the API's document and the root form, each naming the URL it was derived from", async () => {
    const api = await get("/.well-known/oauth-protected-resource/api/v1");
    expect(api.status).toBe(200);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect(await api.json()).toEqual({
      resource: `${server.url}/api/v1`,
      authorization_servers: [server.url],
      scopes_supported: [...APP_SCOPES],
      bearer_methods_supported: ["header"],
      resource_name: "Tessera API",
    });
    const root = await get("/.well-known/oauth-protected-resource");
    expect(await root.json()).toMatchObject({ resource: server.url, authorization_servers: [server.url] });
    // The authorization server it names answers RFC 8414 at the issuer, unchanged.
    const as = (await (await get("/.well-known/oauth-authorization-server")).json()) as Record<string, unknown>;
    expect(as).toMatchObject({ issuer: server.url, authorization_response_iss_parameter_supported: true });
  });

  it("every 401 and 403 from /api/v1 names the metadata in WWW-Authenticate, keeping realm, error and scope", async () => {
    const metadata = `resource_metadata="${server.url}/.well-known/oauth-protected-resource/api/v1"`;
    const missing = await get("/api/v1/me");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(`Bearer realm="tessera", ${metadata}`);

    const invalid = await get("/api/v1/me", "tsr_pat_nonsense");
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get("www-authenticate")).toBe(`Bearer realm="tessera", error="invalid_token", ${metadata}`);

    const app = await newApp();
    const narrow = (await redeem(app, await authorize(app, { scope: "profile:read" }))).json() as { access_token: string };
    const forbidden = await get("/api/v1/connections", narrow.access_token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toBe(`Bearer realm="tessera", error="insufficient_scope", scope="connections:read", ${metadata}`);
    // A success carries no challenge.
    expect((await get("/api/v1/me", narrow.access_token)).headers.get("www-authenticate")).toBeNull();
  });

  it("a planted token value never appears in the new responses or in the logs", async () => {
    const spies = [
      ...(["debug", "info", "warn", "error"] as const).map((level) => vi.spyOn(logger, level)),
      ...(["log", "info", "warn", "error"] as const).map((level) => vi.spyOn(console, level)),
    ];
    try {
      const app = await newApp();
      const tokens = (await redeem(app, await authorize(app), { resource: `${server.url}${API}` })).json() as { access_token: string; refresh_token: string };
      const planted = generateAppAccessToken();
      const texts: string[] = [];
      const collect = async (response: Response | Promise<Response>) => {
        const r = await response;
        texts.push(r.headers.get("www-authenticate") ?? "", await r.text());
      };
      await collect(get("/api/v1/me", planted));
      await collect(get("/api/v1/connections", tokens.access_token));
      await collect(get("/.well-known/oauth-protected-resource/api/v1", planted));
      await collect(get("/.well-known/oauth-protected-resource", tokens.access_token));
      texts.push(JSON.stringify(await introspect(tokens.access_token)), JSON.stringify(await introspect(planted)));
      texts.push((await redeem(app, await authorize(app), { resource: `https://evil.example/${planted}` })).text);
      texts.push(
        (await post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, resource: `${server.url}/mcp` }, app)).text,
      );
      const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
      for (const value of [planted, tokens.access_token, tokens.refresh_token]) {
        for (const [where, text] of [
          ["responses", texts.join("\n")],
          ["logs", logged],
        ] as const)
          expect(text.includes(value), `${where} hold a token value`).toBe(false);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
