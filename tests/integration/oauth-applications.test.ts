import { randomBytes } from "node:crypto";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { DELETE as deleteApplicationRoute } from "@/app/api/applications/[id]/route";
import { POST as rotateRoute } from "@/app/api/applications/[id]/rotate-secret/route";
import { GET as listApplicationsRoute, POST as createApplicationRoute } from "@/app/api/applications/route";
import { POST as introspectRoute } from "@/app/api/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/api/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { DELETE as deleteTokenRoute } from "@/app/api/tokens/[id]/route";
import { GET as connectionsRoute } from "@/app/api/v1/connections/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";
import { getUserSecurity } from "@/lib/admin/get-user-security";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { findGrantedScopes, isCoveredByGrant, issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { revokeApplicationGrant, listAuthorizedApplications } from "@/lib/oauth-apps/authorized-applications";
import { validateAuthorizationRequest, type AuthorizationParams } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { exchangeAuthorizationCode } from "@/lib/oauth-apps/exchange-authorization-code";
import { listOwnApplications } from "@/lib/oauth-apps/list-applications";
import { resetGrantUseThrottle } from "@/lib/oauth-apps/note-grant-use";
import { setApplicationStatus } from "@/lib/oauth-apps/set-application-status";
import { getDb } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { callRoute, createSessionCookie, createTokenAsUser, createUser, sameOrigin } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Third-party OAuth applications (issue 12): a real client (openid-client v6) over HTTP against the token,
 * introspection and revocation endpoints and /api/v1/*, and every refusal with the RFC's error.
 * The consent screen itself is driven in Chromium (e2e/applications.spec.ts); here a code is issued the
 * way the screen issues it (validateAuthorizationRequest + issueAuthorizationCode).
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/oauth-apps/exchange-authorization-code.ts: `const revoked = await revokeTokenFamily(tx, row.id, now);` removed →
 *   "a replayed code … revokes every token issued from it" fails (the first exchange's access token still answers 200).
 * - lib/oauth-apps/refresh-app-tokens.ts: `const revoked = await revokeTokenFamily(tx, row.familyId, now);` removed →
 *   "reusing a rotated refresh token revokes the whole family" fails.
 * - lib/access-tokens/verify-credential.ts: `if (row.applicationStatus !== "ACTIVE") return refuse("disabled");` removed → "a disabled app" fails
 *   (its access token still reads /api/v1/me).
 * - lib/oauth-apps/authenticate-application.ts: `if (secret !== null) return null;` removed → "a public client sending
 *   client_secret" fails (200 instead of invalid_client).
 */

const REDIRECT = "https://app.example/callback";
const LOOPBACK = "http://127.0.0.1:8765/cb";

type App = { id: string; clientId: string; clientSecret: string | null };

const verifier = () => randomBytes(32).toString("base64url");

describeOnEachDatabase("OAuth applications", () => {
  let server: { url: string; close(): Promise<void> };
  let owner: { id: string; cookie: string };
  let introspector: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await serveRouteHandlers({
      "GET /.well-known/oauth-authorization-server": metadataRoute,
      "POST /api/oauth/token": tokenRoute,
      "POST /api/oauth/introspect": introspectRoute,
      "POST /api/oauth/revoke": revokeRoute,
      "GET /api/v1/me": meRoute,
      "GET /api/v1/connections": connectionsRoute,
    });
    const user = await createUser({ email: `dev-${randomBytes(3).toString("hex")}@example.com` });
    owner = { id: user.id, cookie: await createSessionCookie(user.id) };
    const admin = await createUser({ role: "ADMIN" });
    const service = await createServiceClient(
      { name: `introspector-${Math.random()}`, permissions: ["tokens:introspect", "credentials:github:read"] },
      { type: "admin", id: admin.id },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    introspector = { clientId: service.view.clientId, clientSecret: service.clientSecret };
  });
  afterAll(async () => server?.close());

  async function newApp(confidential = true, redirectUris = [REDIRECT, LOOPBACK]): Promise<App> {
    const created = await createApplication(owner.id, createApplicationSchema.parse({ name: `app-${Math.random()}`, redirectUris, confidential }), null);
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, clientSecret: created.clientSecret };
  }

  /** A person with a live session authorizes `app` for `scope` and gets a code, as the consent screen does. */
  async function authorize(app: App, scope = "profile:read", options: { userId?: string; redirectUri?: string } = {}) {
    const userId = options.userId ?? (await createUser()).id;
    await createSessionCookie(userId);
    const codeVerifier = verifier();
    const params: AuthorizationParams = {
      client_id: app.clientId,
      redirect_uri: options.redirectUri ?? REDIRECT,
      response_type: "code",
      scope,
      state: "st-1",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
    };
    const validation = await validateAuthorizationRequest(params);
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    const code = await issueAuthorizationCode(userId, validation.request, { consented: true, ip: null });
    if (!code) throw new Error("no code");
    return { userId, code, codeVerifier, redirectUri: params.redirect_uri! };
  }

  async function post(path: string, form: Record<string, string>, app?: App | null, how: "basic" | "post" | "public" = "basic") {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    const body = new URLSearchParams(form);
    if (app && how === "basic" && app.clientSecret) headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`;
    if (app && how === "post") {
      body.set("client_id", app.clientId);
      body.set("client_secret", app.clientSecret ?? "");
    }
    if (app && how === "public") body.set("client_id", app.clientId);
    const response = await fetch(server.url + path, { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  }

  const redeem = (
    app: App,
    grant: { code: string; codeVerifier: string; redirectUri: string },
    how: "basic" | "post" | "public" = "basic",
    extra: Record<string, string> = {},
  ) =>
    post(
      "/api/oauth/token",
      { grant_type: "authorization_code", code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier, ...extra },
      app,
      how,
    );
  const refresh = (app: App, refreshToken: string, how: "basic" | "public" = "basic", extra: Record<string, string> = {}) =>
    post("/api/oauth/token", { grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, app, how);
  const me = async (token: string) => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  const introspect = async (token: string) =>
    (await post("/api/oauth/introspect", { token }, { id: "", clientId: introspector.clientId, clientSecret: introspector.clientSecret })).json();

  it("openid-client: discovery, authorization code with PKCE, /api/v1/me, refresh with rotation, introspection, revocation", async () => {
    const app = await newApp();
    const config = await client.discovery(new URL(server.url), app.clientId, undefined, client.ClientSecretBasic(app.clientSecret!), {
      algorithm: "oauth2",
      execute: [client.allowInsecureRequests],
    });
    const metadata = config.serverMetadata();
    expect(metadata).toMatchObject({
      authorization_endpoint: `${server.url}/oauth/authorize`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(metadata.scopes_supported).not.toContain("admin");

    const person = await createUser();
    await createSessionCookie(person.id);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "profile:read connections:read",
      state,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    });
    expect(authorizationUrl.pathname).toBe("/oauth/authorize");
    const validation = await validateAuthorizationRequest(Object.fromEntries(authorizationUrl.searchParams));
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    const code = await issueAuthorizationCode(person.id, validation.request, { consented: true, ip: null });
    const callback = new URL(`${REDIRECT}?code=${code}&state=${state}&iss=${encodeURIComponent(server.url)}`);

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state });
    expect(tokens.access_token).toMatch(/^tsr_oat_[0-9A-Za-z]{49}$/);
    expect(tokens.refresh_token).toMatch(/^tsr_ort_[0-9A-Za-z]{49}$/);
    expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 3600, scope: "profile:read connections:read" });

    const response = await me(tokens.access_token);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ id: person.id, application: { clientId: app.clientId }, token: { scopes: ["profile:read", "connections:read"] } });
    expect((await fetch(`${server.url}/api/v1/connections`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(refreshed.access_token)).status).toBe(200);

    expect(await introspect(refreshed.access_token)).toMatchObject({
      active: true,
      client_id: app.clientId,
      sub: person.id,
      scope: "profile:read connections:read",
      token_type: "Bearer",
    });
    expect(await introspect(refreshed.refresh_token!)).toMatchObject({ active: true, client_id: app.clientId, token_type: "refresh_token" });
    expect(await introspect(tokens.refresh_token!)).toEqual({ active: false });

    await client.tokenRevocation(config, refreshed.access_token);
    expect((await me(refreshed.access_token)).status).toBe(401);
    expect(await introspect(refreshed.access_token)).toEqual({ active: false });
    // Revoking the refresh token ends its whole family.
    const third = await client.refreshTokenGrant(config, refreshed.refresh_token!);
    await client.tokenRevocation(config, third.refresh_token!);
    expect((await me(third.access_token)).status).toBe(401);

    // No response of the flow repeats a value it did not just issue; the audit trail names the app, never a value.
    const events = await getDb().auditEvent.findMany({ where: { subjectUserId: person.id } });
    expect(events.map((e) => e.action)).toContain("application.authorized");
    expect(JSON.stringify(events)).not.toMatch(/tsr_o[ar]t_/);
  });

  it("a public client: PKCE alone, and no client_secret accepted (invalid_client)", async () => {
    const app = await newApp(false);
    expect(app.clientSecret).toBeNull();
    const grant = await authorize(app);
    const withSecret = await post("/api/oauth/token", {
      grant_type: "authorization_code",
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
      client_id: app.clientId,
      client_secret: "tsr_as_x",
    });
    expect(withSecret.status).toBe(401);
    expect(withSecret.json()).toMatchObject({ error: "invalid_client" });
    const basic = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${app.clientId}:anything`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier }),
    });
    expect(basic.status).toBe(401);
    const ok = await redeem(app, grant, "public");
    expect(ok.status).toBe(200);
    const tokens = ok.json();
    expect((await refresh(app, String(tokens.refresh_token), "public")).status).toBe(200);
  });

  it("a confidential client must authenticate: no secret or a wrong one is invalid_client", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    expect((await redeem(app, grant, "public")).json()).toMatchObject({ error: "invalid_client" });
    const wrong = { ...app, clientSecret: `${app.clientSecret!.slice(0, -1)}${app.clientSecret!.endsWith("A") ? "B" : "A"}` };
    const refused = await redeem(wrong, grant);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect((await redeem(app, grant, "post")).status).toBe(200);
    // An app cannot use the service clients' grants.
    expect((await post("/api/oauth/token", { grant_type: "client_credentials" }, app)).json()).toMatchObject({ error: "unauthorized_client" });
  });

  it("a replayed code is invalid_grant and revokes every token issued from it", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    const first = await redeem(app, grant);
    expect(first.status).toBe(200);
    const { access_token: access, refresh_token: refreshToken } = first.json() as { access_token: string; refresh_token: string };
    // The first exchange's family rotated once more: the replay must reach the new tokens too.
    const rotated = (await refresh(app, refreshToken)).json() as { access_token: string; refresh_token: string };
    expect((await me(rotated.access_token)).status).toBe(200);

    const replay = await redeem(app, grant);
    expect(replay.status).toBe(400);
    expect(replay.json()).toMatchObject({ error: "invalid_grant" });
    for (const token of [access, rotated.access_token]) expect((await me(token)).status).toBe(401);
    expect((await refresh(app, rotated.refresh_token)).json()).toMatchObject({ error: "invalid_grant" });
    expect(await getDb().auditEvent.count({ where: { action: "application.code_replayed", subjectUserId: grant.userId } })).toBe(1);
  });

  it("reusing a rotated refresh token is invalid_grant and revokes the whole family", async () => {
    // Past the reuse window (none here): oauth-refresh-reuse-window.test.ts covers reuse within it.
    vi.stubEnv("TESSERA_REFRESH_REUSE_WINDOW_SECONDS", "0");
    onTestFinished(() => void vi.unstubAllEnvs());
    const app = await newApp();
    const grant = await authorize(app);
    const first = (await redeem(app, grant)).json() as { access_token: string; refresh_token: string };
    const second = (await refresh(app, first.refresh_token)).json() as { access_token: string; refresh_token: string };
    expect((await me(second.access_token)).status).toBe(200);
    const reuse = await refresh(app, first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.json()).toMatchObject({ error: "invalid_grant" });
    expect((await me(second.access_token)).status).toBe(401);
    expect((await refresh(app, second.refresh_token)).json()).toMatchObject({ error: "invalid_grant" });
    // Another family of the same person and app is untouched.
    const other = (await redeem(app, await authorize(app, "profile:read", { userId: grant.userId }))).json() as { access_token: string };
    expect((await me(other.access_token)).status).toBe(200);
  });

  it("codes: bound to redirect URI, PKCE verifier and client; 60 s; junk refused", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    expect((await redeem(app, { ...grant, redirectUri: LOOPBACK })).json()).toMatchObject({ error: "invalid_grant" });
    // The failed attempt used the code up (single use whatever the outcome).
    expect((await redeem(app, grant)).json()).toMatchObject({ error: "invalid_grant" });

    const noVerifier = await authorize(app);
    expect((await post("/api/oauth/token", { grant_type: "authorization_code", code: noVerifier.code, redirect_uri: REDIRECT }, app)).json()).toMatchObject({
      error: "invalid_grant",
    });
    const wrongVerifier = await authorize(app);
    expect((await redeem(app, { ...wrongVerifier, codeVerifier: verifier() })).json()).toMatchObject({ error: "invalid_grant" });
    // A "plain" verifier (the challenge itself) is not S256 of anything.
    const plain = await authorize(app);
    expect((await redeem(app, { ...plain, codeVerifier: s256(plain.codeVerifier) })).json()).toMatchObject({ error: "invalid_grant" });

    const otherApp = await newApp();
    const stolen = await authorize(app);
    expect((await redeem(otherApp, stolen)).json()).toMatchObject({ error: "invalid_grant" });
    expect((await redeem(app, stolen)).status).toBe(200);

    const late = await authorize(app);
    const authenticated = { id: app.id, clientId: app.clientId, name: "x", confidential: true, ownerUserId: owner.id };
    expect(
      await exchangeAuthorizationCode(
        authenticated,
        { code: late.code, redirectUri: late.redirectUri, codeVerifier: late.codeVerifier },
        null,
        new Date(Date.now() + 61_000),
      ),
    ).toMatchObject({
      ok: false,
      error: "invalid_grant",
    });
    expect(
      (await post("/api/oauth/token", { grant_type: "authorization_code", code: "nope", redirect_uri: REDIRECT, code_verifier: verifier() }, app)).json(),
    ).toMatchObject({ error: "invalid_grant" });
    expect((await post("/api/oauth/token", { grant_type: "authorization_code", redirect_uri: REDIRECT }, app)).json()).toMatchObject({
      error: "invalid_request",
    });
  });

  describe("the authorization request", () => {
    it("an unknown client or an unregistered redirect URI is Tessera's own error, never a redirect", async () => {
      const app = await newApp();
      const base = {
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "profile:read",
        code_challenge: s256(verifier()),
        code_challenge_method: "S256",
      };
      for (const params of [
        { ...base, client_id: "tsr_app_unknownunknownunknow" },
        { ...base, client_id: undefined },
        { ...base, redirect_uri: undefined },
        { ...base, redirect_uri: "https://evil.example/callback" },
        { ...base, redirect_uri: `${REDIRECT}/` },
        { ...base, redirect_uri: `${REDIRECT}?x=1` },
        { ...base, redirect_uri: REDIRECT.toUpperCase() },
      ]) {
        expect(await validateAuthorizationRequest(params), JSON.stringify(params)).toMatchObject({ ok: false, kind: "fatal" });
      }
    });

    it("missing or plain PKCE, another response type or a scope an app may not have go back to the app with the RFC's error", async () => {
      const app = await newApp();
      const base = {
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "profile:read",
        state: "s",
        code_challenge: s256(verifier()),
        code_challenge_method: "S256",
      };
      const cases: [AuthorizationParams, string][] = [
        [{ ...base, code_challenge: undefined, code_challenge_method: undefined }, "invalid_request"],
        [{ ...base, code_challenge_method: "plain" }, "invalid_request"],
        [{ ...base, code_challenge_method: undefined }, "invalid_request"],
        [{ ...base, code_challenge: "short" }, "invalid_request"],
        [{ ...base, response_type: "token" }, "unsupported_response_type"],
        [{ ...base, scope: "profile:read admin" }, "invalid_scope"],
        [{ ...base, scope: "applications:write" }, "invalid_scope"],
        [{ ...base, scope: "profile:read nonsense" }, "invalid_scope"],
        [{ ...base, scope: "" }, "invalid_scope"],
      ];
      for (const [params, error] of cases) {
        expect(await validateAuthorizationRequest(params), JSON.stringify(params)).toMatchObject({
          ok: false,
          kind: "redirect",
          redirectUri: REDIRECT,
          error,
          state: "s",
        });
      }
      expect(await validateAuthorizationRequest(base)).toMatchObject({ ok: true });
    });

    it("remembers consent: the same or fewer scopes skip the screen, more ask again; the grant keeps the union", async () => {
      const app = await newApp();
      const first = await authorize(app, "profile:read connections:read");
      const granted = await findGrantedScopes(first.userId, app.id);
      expect(isCoveredByGrant(["profile:read"], granted)).toBe(true);
      expect(isCoveredByGrant(["profile:read", "connections:read"], granted)).toBe(true);
      expect(isCoveredByGrant(["profile:read", "tokens:read"], granted)).toBe(false);
      expect(isCoveredByGrant(["profile:read"], await findGrantedScopes((await createUser()).id, app.id))).toBe(false);
      // Asking for fewer issues a code with fewer; the remembered grant stays the union.
      const fewer = await authorize(app, "profile:read", { userId: first.userId });
      expect((await redeem(app, fewer)).json()).toMatchObject({ scope: "profile:read" });
      await authorize(app, "tokens:read", { userId: first.userId });
      expect((await findGrantedScopes(first.userId, app.id))?.sort()).toEqual(["connections:read", "profile:read", "tokens:read"]);
      expect(await listAuthorizedApplications(first.userId)).toEqual([expect.objectContaining({ scopes: expect.arrayContaining(["tokens:read"]) })]);
    });
  });

  it("scope: a token works only within its scopes, and a refresh cannot widen them (invalid_scope)", async () => {
    const app = await newApp();
    const tokens = (await redeem(app, await authorize(app, "profile:read"))).json() as { access_token: string; refresh_token: string };
    const connections = await fetch(`${server.url}/api/v1/connections`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(connections.status).toBe(403);
    expect((await connections.json()).error.code).toBe("insufficient_scope");
    const widened = await refresh(app, tokens.refresh_token, "basic", { scope: "profile:read connections:read" });
    expect(widened.status).toBe(400);
    expect(widened.json()).toMatchObject({ error: "invalid_scope" });
    // The refused widening did not use the refresh token up.
    expect((await refresh(app, tokens.refresh_token, "basic", { scope: "profile:read" })).json()).toMatchObject({ scope: "profile:read" });
  });

  it("a deleted app's tokens stop at once; so does a revoked grant and the person's revoke-all", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    const tokens = (await redeem(app, grant)).json() as { access_token: string; refresh_token: string };
    expect((await me(tokens.access_token)).status).toBe(200);
    const deleted = await callRoute(deleteApplicationRoute, {
      method: "DELETE",
      path: `/api/applications/${app.id}`,
      headers: sameOrigin(owner.cookie),
      params: { id: app.id },
    });
    expect(deleted.status).toBe(204);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await refresh(app, tokens.refresh_token)).json()).toMatchObject({ error: "invalid_client" });
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "application.deleted", subjectUserId: owner.id, detail: { path: ["applicationId"], equals: app.id } },
    });
    expect(event.detail).toMatchObject({ grantsRevoked: 1 });

    const kept = await newApp();
    const person = await authorize(kept);
    const personTokens = (await redeem(kept, person)).json() as { access_token: string };
    const grantId = (await listAuthorizedApplications(person.userId))[0]!.grantId;
    expect(await revokeApplicationGrant((await createUser()).id, grantId, { type: "user" }, null)).toBe(false);
    expect((await me(personTokens.access_token)).status).toBe(200);
    expect(await revokeApplicationGrant(person.userId, grantId, { type: "user", id: person.userId }, null)).toBe(true);
    expect((await me(personTokens.access_token)).status).toBe(401);

    const victim = await authorize(kept, "profile:read");
    const victimTokens = (await redeem(kept, victim)).json() as { access_token: string; refresh_token: string };
    expect((await getUserSecurity(victim.userId))!.appGrants).toEqual([{ name: expect.any(String), scopes: ["profile:read"] }]);
    const report = await revokeAllCredentials(victim.userId, { type: "admin" });
    expect(report!.revokedAppGrants).toHaveLength(1);
    expect((await me(victimTokens.access_token)).status).toBe(401);
    expect((await refresh(kept, victimTokens.refresh_token)).json()).toMatchObject({ error: "invalid_grant" });
    expect((await getUserSecurity(victim.userId))!.appGrants).toEqual([]);
  });

  it("a disabled app: tokens refused, client refused, nobody can authorize it; enabling restores its tokens", async () => {
    const app = await newApp();
    const grant = await authorize(app);
    const tokens = (await redeem(app, grant)).json() as { access_token: string; refresh_token: string };
    const pending = await authorize(app, "profile:read", { userId: grant.userId });
    expect(await setApplicationStatus(app.id, "DISABLED", { type: "admin" }, null)).toBe(true);
    expect((await me(tokens.access_token)).status).toBe(401);
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect((await refresh(app, tokens.refresh_token)).json()).toMatchObject({ error: "invalid_client" });
    expect((await redeem(app, pending)).json()).toMatchObject({ error: "invalid_client" });
    expect(await validateAuthorizationRequest({ client_id: app.clientId, redirect_uri: REDIRECT })).toMatchObject({ ok: false, kind: "fatal" });
    expect(await setApplicationStatus(app.id, "ACTIVE", { type: "admin" }, null)).toBe(true);
    expect((await me(tokens.access_token)).status).toBe(200);
  });

  it("app tokens act through the same paths as PATs: last used, audit events naming the app, token exchange subject, never admin", async () => {
    resetGrantUseThrottle();
    const app = await newApp();
    const grant = await authorize(app, "profile:read tokens:write");
    const tokens = (await redeem(app, grant)).json() as { access_token: string };
    expect((await me(tokens.access_token)).status).toBe(200);
    await expect.poll(async () => (await listAuthorizedApplications(grant.userId))[0]!.lastUsedAt).not.toBeNull();

    const pat = await createTokenAsUser({ id: grant.userId, role: "USER" }, { name: "victim", scopes: ["profile:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    const revoked = await callRoute(deleteTokenRoute, {
      method: "DELETE",
      path: `/api/tokens/${pat.view.id}`,
      headers: { authorization: `Bearer ${tokens.access_token}` },
      params: { id: pat.view.id },
    });
    expect(revoked.status).toBe(204);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.revoked", patId: pat.view.id } });
    expect(event).toMatchObject({ actorType: "application", actorId: app.id });

    // RFC 8693: the app's access token names its person as the subject of a service's exchange.
    await storeSignInTokens(grant.userId, "github", { accessToken: "apps-github-access-token-value" });
    const exchanged = await post(
      "/api/oauth/token",
      {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: tokens.access_token,
        subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
        audience: "github",
      },
      { id: "", clientId: introspector.clientId, clientSecret: introspector.clientSecret },
    );
    expect(exchanged.json()).toMatchObject({ access_token: "apps-github-access-token-value" });

    // Even an admin's authorization never gives an app the admin scope.
    const admin = await createUser({ role: "ADMIN" });
    expect(
      await validateAuthorizationRequest({
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "admin",
        code_challenge: s256(verifier()),
        code_challenge_method: "S256",
      }),
    ).toMatchObject({
      error: "invalid_scope",
    });
    const adminTokens = (await redeem(app, await authorize(app, "profile:read", { userId: admin.id }))).json() as { access_token: string };
    const { GET: adminServicesRoute } = await import("@/app/api/admin/services/route");
    expect(
      (await callRoute(adminServicesRoute, { path: "/api/admin/services", headers: { authorization: `Bearer ${adminTokens.access_token}` } })).status,
    ).toBe(403);
  });

  describe("registration: POST/GET/DELETE /api/applications", () => {
    const create = (body: unknown, headers: Record<string, string> = sameOrigin(owner.cookie)) =>
      callRoute(createApplicationRoute, { method: "POST", path: "/api/applications", headers, body });

    it("registers confidential and public apps; the secret is shown once and only to a confidential app's owner", async () => {
      const confidential = await create({
        name: "Calendar helper",
        redirectUris: [REDIRECT, LOOPBACK, "http://[::1]:9000/cb", "http://localhost/cb"],
        confidential: true,
        homepageUrl: "https://app.example",
        description: "Syncs",
      });
      expect(confidential.status).toBe(201);
      const body = confidential.json();
      expect(body).toMatchObject({
        clientId: expect.stringMatching(/^tsr_app_/),
        clientSecret: expect.stringMatching(/^tsr_as_[0-9A-Za-z]{49}$/),
        confidential: true,
        authorizedUsers: 0,
      });
      const publicApp = (await create({ name: "CLI", redirectUris: [LOOPBACK], confidential: false })).json();
      expect(publicApp.clientSecret).toBeUndefined();
      const list = await callRoute(listApplicationsRoute, { path: "/api/applications", headers: sameOrigin(owner.cookie) });
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(body.clientSecret);
      expect(list.text).not.toMatch(/secretHash|previousSecretHash/);
      expect(list.json().applications.map((a: { clientId: string }) => a.clientId)).toEqual(expect.arrayContaining([body.clientId, publicApp.clientId]));
      const event = await getDb().auditEvent.findFirstOrThrow({
        where: { action: "application.created", detail: { path: ["clientId"], equals: body.clientId } },
      });
      expect(JSON.stringify(event)).not.toContain(body.clientSecret);
    });

    it("refuses redirect URIs that are not https (or http on loopback), fragments and junk with a 400", async () => {
      for (const uri of [
        "http://app.example/cb",
        "https://app.example/cb#frag",
        "javascript:alert(1)",
        "ftp://app.example/",
        "/relative",
        "https://user:pw@app.example/cb",
        "http://127.0.0.2.evil.example/cb",
        "https://app.example/\ncb",
      ]) {
        const response = await create({ name: "bad", redirectUris: [uri], confidential: true });
        expect(response.status, uri).toBe(400);
        expect(response.json().error.code).toBe("invalid_request");
      }
      expect((await create({ name: "bad", redirectUris: [], confidential: true })).status).toBe(400);
      expect((await create({ name: "", redirectUris: [REDIRECT], confidential: true })).status).toBe(400);
      expect((await create({ name: "bad", redirectUris: [REDIRECT] })).status).toBe(400);
      expect((await create({ name: "bad", redirectUris: [REDIRECT], confidential: true, extra: 1 })).status).toBe(400);
    });

    it("PATs need applications:write to register or delete and applications:read to list; someone else's app is a 404", async () => {
      const writer = await createTokenAsUser({ id: owner.id, role: "USER" }, { name: `w-${Math.random()}`, scopes: ["applications:write"], expiresInDays: 1 });
      const reader = await createTokenAsUser({ id: owner.id, role: "USER" }, { name: `r-${Math.random()}`, scopes: ["applications:read"], expiresInDays: 1 });
      if (!writer.ok || !reader.ok) throw new Error("pat");
      expect((await create({ name: "by pat", redirectUris: [REDIRECT], confidential: true }, { authorization: `Bearer ${reader.token}` })).status).toBe(403);
      const made = await create({ name: "by pat", redirectUris: [REDIRECT], confidential: true }, { authorization: `Bearer ${writer.token}` });
      expect(made.status).toBe(201);
      expect((await callRoute(listApplicationsRoute, { path: "/api/applications", headers: { authorization: `Bearer ${reader.token}` } })).status).toBe(200);
      const stranger = await createUser();
      const strangerCookie = await createSessionCookie(stranger.id);
      const id = made.json().id as string;
      expect(
        (await callRoute(deleteApplicationRoute, { method: "DELETE", path: `/api/applications/${id}`, headers: sameOrigin(strangerCookie), params: { id } }))
          .status,
      ).toBe(404);
      expect(
        (
          await callRoute(deleteApplicationRoute, {
            method: "DELETE",
            path: `/api/applications/${id}`,
            headers: { authorization: `Bearer ${writer.token}` },
            params: { id },
          })
        ).status,
      ).toBe(204);
      expect(await listOwnApplications(stranger.id)).toEqual([]);
    });

    it("counts the people who authorized an app", async () => {
      const app = await newApp();
      await authorize(app);
      const second = await authorize(app);
      await authorize(app, "connections:read", { userId: second.userId });
      expect((await listOwnApplications(owner.id)).find((a) => a.id === app.id)!.authorizedUsers).toBe(2);
    });

    it("rotates a secret with an overlap, to the second, as for service clients", async () => {
      const app = await newApp();
      const rotate = (overlapSeconds: number) =>
        callRoute(rotateRoute, {
          method: "POST",
          path: `/api/applications/${app.id}/rotate-secret`,
          headers: sameOrigin(owner.cookie),
          body: { overlapSeconds },
          params: { id: app.id },
        });
      const rotated = await rotate(3600);
      expect(rotated.status).toBe(200);
      const newSecret = rotated.json().clientSecret as string;
      expect(newSecret).toMatch(/^tsr_as_/);
      const oldApp = app;
      const newApp_ = { ...app, clientSecret: newSecret };
      expect((await redeem(oldApp, await authorize(app))).status).toBe(200);
      expect((await redeem(newApp_, await authorize(app))).status).toBe(200);
      const again = (await rotate(0)).json().clientSecret as string;
      expect((await redeem(newApp_, await authorize(app))).status).toBe(401);
      expect((await redeem({ ...app, clientSecret: again }, await authorize(app))).status).toBe(200);
      const publicApp = await newApp(false);
      expect(
        (
          await callRoute(rotateRoute, {
            method: "POST",
            path: `/api/applications/${publicApp.id}/rotate-secret`,
            headers: sameOrigin(owner.cookie),
            body: {},
            params: { id: publicApp.id },
          })
        ).status,
      ).toBe(400);
    });
  });
});
