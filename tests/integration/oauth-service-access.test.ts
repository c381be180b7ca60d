import * as client from "openid-client";
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as introspectRoute } from "@/app/api/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/api/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { getDb } from "@/lib/db/client";
import { prepareAuditEvent } from "@/lib/audit/record-audit-event";
import { readExchangeState } from "@/lib/provider-tokens/read-exchange-state";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { PROVIDER_IDS } from "@/lib/providers/catalog";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { deleteServiceClient } from "@/lib/service-clients/delete-service-client";
import { rotateServiceSecret } from "@/lib/service-clients/rotate-service-secret";
import { updateServiceClient } from "@/lib/service-clients/update-service-client";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { createTokenAsUser, createUser } from "../helpers/fixtures";
import { getToken } from "../helpers/provider-token-rows";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The standard OAuth endpoints, driven by a real client (openid-client v6) over HTTP, plus the exact
 * error shapes with raw requests.
 * Mutation checks (each made once, saw red, restored):
 * - lib/service-clients/exchange-for-provider-token.ts: `if (!allowsProvider(client.permissions, provider)) return …unauthorized_client`
 *   removed → the permission matrix fails (a github-only client gets google's not_connected instead of unauthorized_client).
 * - lib/service-clients/exchange-for-provider-token.ts: `refuseSubject` answering `invalid_grant` again → the matrix, the RFC 6749
 *   errors, needs_reconnect, block and openid-client subject tests fail (RFC 8693 §2.2.2 wants invalid_request).
 * - (The disabled-client check in verify-service-token.ts is now guarded in service-incident-response.test.ts:
 *   disabling revokes the tokens, so this file's lifecycle test no longer tells the two apart.)
 * - lib/service-clients/update-service-client.ts: the `revokeServiceTokens` call removed → the lifecycle test's re-enable line fails.
 * - lib/provider-tokens/obtain-access-token.ts: `if (state.blocked) return { status: "blocked" }` removed → the block test fails.
 * - lib/provider-tokens/read-exchange-state.ts: `SET "lastUsedAt" = now()` made a no-op → "an exchange records the connection's use" fails.
 */
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const USER_ID = "urn:tessera:params:oauth:token-type:user-id";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const PROVIDER_TOKEN = "urn:tessera:params:oauth:token-type:provider-access-token";

type Creds = { clientId: string; clientSecret: string; id: string };

describeOnEachDatabase("OAuth service access", () => {
  const idp = startDemoIdpForFile();
  let server: { url: string; close(): Promise<void> };
  let adminId: string;

  beforeAll(async () => {
    server = await serveRouteHandlers({
      "GET /.well-known/oauth-authorization-server": metadataRoute,
      "POST /api/oauth/token": tokenRoute,
      "POST /api/oauth/introspect": introspectRoute,
      "POST /api/oauth/revoke": revokeRoute,
    });
    adminId = (await createUser({ role: "ADMIN" })).id;
  });
  afterAll(async () => server?.close());

  async function newClient(permissions: string[], extra: { rateLimitPerMinute?: number } = {}): Promise<Creds> {
    const created = await createServiceClient({ name: `svc-${Math.random()}`, permissions, ...extra }, { type: "admin", id: adminId }, null);
    if (!created.ok) throw new Error(created.message);
    return { clientId: created.view.clientId, clientSecret: created.clientSecret, id: created.view.id };
  }

  async function post(path: string, form: Record<string, string>, creds?: Creds | null, how: "basic" | "post" = "basic") {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    const body = new URLSearchParams(form);
    if (creds && how === "basic")
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(creds.clientId)}:${encodeURIComponent(creds.clientSecret)}`).toString("base64")}`;
    if (creds && how === "post") {
      body.set("client_id", creds.clientId);
      body.set("client_secret", creds.clientSecret);
    }
    const response = await fetch(server.url + path, { method: "POST", headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  }

  const exchange = (creds: Creds | null, userId: string, audience: string, extra: Record<string, string> = {}) =>
    post(
      "/api/oauth/token",
      { grant_type: EXCHANGE, subject_token: userId, subject_token_type: USER_ID, requested_token_type: PROVIDER_TOKEN, audience, ...extra },
      creds,
    );

  async function configFor(creds: Creds, auth: "basic" | "post" = "basic") {
    const method = auth === "basic" ? client.ClientSecretBasic(creds.clientSecret) : client.ClientSecretPost(creds.clientSecret);
    return client.discovery(new URL(server.url), creds.clientId, undefined, method, { algorithm: "oauth2", execute: [client.allowInsecureRequests] });
  }

  it("openid-client: discovery, client_credentials, token exchange, introspection and revocation", async () => {
    const { user, tokens } = await connectedUser(idp(), "google");
    const creds = await newClient(["credentials:google:read", "tokens:introspect"]);
    for (const auth of ["basic", "post"] as const) {
      const config = await configFor(creds, auth);
      const metadata = config.serverMetadata();
      expect(metadata.issuer).toBe(server.url);
      expect(metadata.grant_types_supported).toEqual([
        "client_credentials",
        EXCHANGE,
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
      ]);

      const sat = await client.clientCredentialsGrant(config, { scope: "tokens:introspect" });
      expect(sat.access_token).toMatch(/^tsr_sat_/);
      expect(sat).toMatchObject({ token_type: "bearer", expires_in: 900, scope: "tokens:introspect" });

      const exchanged = await client.genericGrantRequest(config, EXCHANGE, {
        subject_token: user.id,
        subject_token_type: USER_ID,
        requested_token_type: PROVIDER_TOKEN,
        audience: "google",
        purpose: `calendar sync (${auth})`,
      });
      expect(exchanged.access_token).toBe(tokens.access_token);
      expect(exchanged.issued_token_type).toBe(PROVIDER_TOKEN);
      expect(exchanged.refresh_token).toBeUndefined();
      expect(exchanged.expires_in).toBeGreaterThan(500);

      const active = await client.tokenIntrospection(config, sat.access_token);
      expect(active).toMatchObject({ active: true, client_id: creds.clientId, sub: creds.clientId, scope: "tokens:introspect", token_type: "Bearer" });
      expect(active.exp! - active.iat!).toBe(900);

      await client.tokenRevocation(config, sat.access_token);
      expect(await client.tokenIntrospection(config, sat.access_token)).toEqual({ active: false });
    }
    const events = await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", subjectUserId: user.id } });
    expect(events).toHaveLength(2);
    expect(events.map((e) => e.detail)).toEqual(
      expect.arrayContaining([expect.objectContaining({ outcome: "success", purpose: "calendar sync (basic)", refreshed: false, clientId: creds.clientId })]),
    );
    expect(events.every((e) => e.actorType === "service" && e.actorId === creds.id && e.provider === "google")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(tokens.access_token);
  });

  it("openid-client: a subject Tessera cannot serve is invalid_request (RFC 8693 §2.2.2) with its code in error_description", async () => {
    const user = await createUser();
    const creds = await newClient(["credentials:google:read"]);
    const config = await configFor(creds);
    const refused = await client
      .genericGrantRequest(config, EXCHANGE, { subject_token: user.id, subject_token_type: USER_ID, requested_token_type: PROVIDER_TOKEN, audience: "google" })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(client.ResponseBodyError);
    expect(refused).toMatchObject({ status: 400, error: "invalid_request", error_description: "not_connected" });
    const byJunk = await client
      .genericGrantRequest(config, EXCHANGE, { subject_token: "tsr_pat_junk", subject_token_type: ACCESS_TOKEN, audience: "google" })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(byJunk).toMatchObject({ status: 400, error: "invalid_request", error_description: "invalid_subject_token" });
    // The audit outcome keeps its name.
    const outcomes = await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", actorId: creds.id }, orderBy: { createdAt: "asc" } });
    expect(outcomes.map((e) => (e.detail as { outcome: string }).outcome)).toEqual(["not_connected", "invalid_subject_token"]);
  });

  /*
   * Issue 26: the exchange's success event is written by its state read (read-exchange-state.ts, the `handout` CTE) when
   * the stored token is handed out; any other outcome by the exchange itself, rewriting that row if the read wrote it.
   * Seen red: the rewrite (`else if (…) await rewriteAuditEvent(…)` in exchange-for-provider-token.ts) removed → the
   * undecryptable token's exchange stayed audited as "success" with tokenNames ["access_token"]; the CTE's expiry
   * condition removed → "written" true for a token expiring in 30 s.
   */
  it("one audit event per exchange, whichever statement writes it: the handout by the read, anything else by the exchange", async () => {
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "handout-audit-github-token-value" });
    const creds = await newClient(["credentials:github:read"]);
    const eventsOf = () => getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", subjectUserId: user.id }, orderBy: { createdAt: "asc" } });

    const ok = await exchange(creds, user.id, "github", { purpose: "steady state" });
    expect(ok.status, ok.text).toBe(200);
    const [first] = await eventsOf();
    expect(await eventsOf()).toHaveLength(1);
    expect(first).toMatchObject({ actorType: "service", actorId: creds.id, provider: "github", tokenNames: ["access_token"], ip: expect.any(String) });
    expect(first!.detail).toEqual({
      clientId: creds.clientId,
      serviceName: expect.stringMatching(/^svc-/),
      purpose: "steady state",
      outcome: "success",
      refreshed: false,
    });
    expect(Math.abs(first!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    // Read as handed out, then failing: a stored token that no key opens. The read wrote "success"; the exchange answers
    // 500 and the one event says server_error, with no token named.
    const row = await getDb().providerToken.findFirstOrThrow({ where: { userId: user.id, provider: "github", name: "access_token" } });
    await getDb().providerToken.update({ where: { id: row.id }, data: { ciphertext: row.ciphertext.replace(/.{8}$/, "AAAAAAAA") } });
    const broken = await exchange(creds, user.id, "github", { purpose: "broken" });
    expect(broken.status).toBe(500);
    const events = await eventsOf();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ tokenNames: [], detail: expect.objectContaining({ purpose: "broken", outcome: "server_error" }) });
    expect(JSON.stringify(events)).not.toContain("handout-audit-github-token-value");

    // Blocked: the read writes nothing; the exchange records the refusal.
    await storeSignInTokens(user.id, "github", { accessToken: "handout-audit-github-token-value-2" });
    await getDb().serviceBlock.create({ data: { userId: user.id, serviceClientId: creds.id, provider: "github" } });
    expect((await exchange(creds, user.id, "github", { purpose: "blocked" })).status).toBe(400);
    expect((await eventsOf()).map((e) => (e.detail as { outcome: string }).outcome)).toEqual(["success", "server_error", "access_denied_by_user"]);
  });

  it("a steady-state exchange is one statement; it reads and writes nothing for a client it does not admit", async () => {
    // Issue 26 (authenticateCountAndReadExchange). Seen red: with the grant's readAlong removed, 2 statements, not 1;
    // with the statement's permission gate removed, the github-only client's refused google exchange stamped the google
    // connection's lastUsedAt (and wrote a success row the exchange then had to rewrite); with the statement's secret
    // checks removed (`matched` always true, no secret in the gate), the wrong secret's call read github's connection and
    // wrote a success row, and authenticate's guard turned it into a 500 (expected 401).
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "one-statement-github-token-value" });
    await storeSignInTokens(user.id, "google", { accessToken: "one-statement-google-token-value", expiresAt: new Date(Date.now() + 3600_000) });
    const creds = await newClient(["credentials:github:read"], { rateLimitPerMinute: 3 });
    const outcomes = async () =>
      (await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", actorId: creds.id }, orderBy: { createdAt: "asc" } })).map((event) => [
        (event.detail as { outcome: string }).outcome,
        event.subjectUserId,
        (event.detail as { serviceName?: string }).serviceName ?? null,
      ]);
    const lastUsed = async (provider: string) => (await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id, provider } })).lastUsedAt;
    const forgetUse = () => getDb().providerConnection.updateMany({ where: { userId: user.id }, data: { lastUsedAt: null } });
    await forgetUse();

    const statements = vi.spyOn(pg.Client.prototype, "query");
    try {
      expect((await exchange(creds, user.id, "github")).status).toBe(200);
      expect(statements.mock.calls.length).toBe(1);
      statements.mockClear();
      // Refused by the code: no permission for google. The statement did not read it; the exchange records the refusal.
      expect((await exchange(creds, user.id, "google")).json()).toMatchObject({ error: "unauthorized_client" });
      expect(statements.mock.calls.length).toBe(2); // the client's statement, then the refusal's audit row
    } finally {
      statements.mockRestore();
    }
    expect(await lastUsed("github")).not.toBeNull();
    expect(await lastUsed("google")).toBeNull();

    // A wrong secret, then a call over the limit: nothing read or written about the person.
    await forgetUse();
    // Another client's secret: well-formed (a checksum that passes), so it reaches the statement.
    const other = await newClient(["credentials:github:read"]);
    expect((await exchange({ ...creds, clientSecret: other.clientSecret }, user.id, "github")).status).toBe(401);
    expect(await lastUsed("github")).toBeNull();
    expect((await exchange(creds, user.id, "github")).status).toBe(200);
    await forgetUse();
    expect((await exchange(creds, user.id, "github")).status).toBe(429);
    expect(await lastUsed("github")).toBeNull();
    const name = expect.stringMatching(/^svc-/);
    expect(await outcomes()).toEqual([
      ["success", user.id, name],
      ["unauthorized_client", null, name],
      ["success", user.id, name],
    ]);
  });

  it("a client presenting its previous secret during the overlap takes the exchange's own read, with the same event", async () => {
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "overlap-github-token-value" });
    const creds = await newClient(["credentials:github:read"]);
    await rotateServiceSecret(creds.id, 3600, { type: "admin", id: adminId }, null);
    const answer = await exchange(creds, user.id, "github", { purpose: "old secret" });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json().access_token).toBe("overlap-github-token-value");
    const events = await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", subjectUserId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: creds.id,
      detail: { clientId: creds.clientId, serviceName: expect.stringMatching(/^svc-/), purpose: "old secret", outcome: "success", refreshed: false },
    });
  });

  it("the state read writes the handout event exactly when the stored token is what will be handed out", async () => {
    const user = await createUser();
    const creds = await newClient(["credentials:google:read"]);
    const handout = () =>
      prepareAuditEvent({ action: "service.token_exchanged", actor: { type: "service", id: creds.id }, subjectUserId: user.id, provider: "google" });
    const written = async () => {
      const prepared = handout();
      await readExchangeState(user.id, creds.id, "google", prepared);
      const rows = await getDb().auditEvent.count({ where: { id: prepared.id } });
      expect(rows).toBe(prepared.written ? 1 : 0);
      return prepared.written;
    };
    expect(await written()).toBe(false); // not connected
    await storeSignInTokens(user.id, "google", { accessToken: "handout-google-1", expiresAt: new Date(Date.now() + 30_000) });
    expect(await written()).toBe(false); // expires within 60 s: the exchange refreshes
    await storeSignInTokens(user.id, "google", { accessToken: "handout-google-2", expiresAt: new Date(Date.now() + 3600_000) });
    expect(await written()).toBe(true);
    await getDb().providerConnection.updateMany({ where: { userId: user.id, provider: "google" }, data: { status: "NEEDS_RECONNECT" } });
    expect(await written()).toBe(false);
    await getDb().providerConnection.updateMany({ where: { userId: user.id, provider: "google" }, data: { status: "ACTIVE" } });
    await getDb().serviceBlock.create({ data: { userId: user.id, serviceClientId: creds.id, provider: "google" } });
    expect(await written()).toBe(false);
  });

  it("refreshes a token that expires within 60 s, hands out only the new access token, records refreshed", async () => {
    const { user, tokens } = await connectedUser(idp(), "google", { expired: true });
    const creds = await newClient(["credentials:*:read"]);
    const response = await exchange(creds, user.id, "google", { purpose: "mail" });
    expect(response.status).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "issued_token_type", "scope", "token_type"]);
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(body.access_token).toBe(await getToken(user.id, "google", "access_token"));
    const refreshToken = (await getToken(user.id, "google", "refresh_token"))!;
    for (const secret of [refreshToken, tokens.refresh_token!, tokens.id_token!]) expect(response.text).not.toContain(secret);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "service.token_exchanged", subjectUserId: user.id } });
    expect(event.detail).toMatchObject({ outcome: "success", refreshed: true, purpose: "mail" });
  });

  it("permission matrix: each provider permission opens exactly its provider, * opens all, tokens:introspect none", async () => {
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "matrix-github-access-token-value" });
    const permissionSets = [...PROVIDER_IDS.map((id) => `credentials:${id}:read`), "credentials:*:read", "tokens:introspect"];
    const mismatches: string[] = [];
    for (const permission of permissionSets) {
      const creds = await newClient([permission]);
      for (const provider of PROVIDER_IDS) {
        const allowed = permission === "credentials:*:read" || permission === `credentials:${provider}:read`;
        const expected = !allowed ? "400 unauthorized_client" : provider === "github" ? "200 ok" : "400 invalid_request:not_connected";
        const response = await exchange(creds, user.id, provider);
        const body = response.json();
        const got =
          response.status === 200 ? "200 ok" : `${response.status} ${body.error}${body.error === "invalid_request" ? `:${body.error_description}` : ""}`;
        if (got !== expected) mismatches.push(`${permission} × ${provider}: expected ${expected}, got ${got}`);
        if (response.status !== 200) expect(response.text).not.toContain("matrix-github-access-token-value");
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("answers RFC 6749 errors: invalid_client, unsupported_grant_type, invalid_scope, invalid_target, invalid_request (RFC 8693: also for a subject it cannot serve)", async () => {
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "errors-github-access-token-value" });
    const creds = await newClient(["credentials:github:read", "credentials:google:read"]);

    const wrong = await exchange(
      { ...creds, clientSecret: creds.clientSecret.slice(0, -1) + (creds.clientSecret.endsWith("A") ? "B" : "A") },
      user.id,
      "github",
    );
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toEqual({ error: "invalid_client", error_description: expect.any(String) });
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect((await exchange(null, user.id, "github")).status).toBe(401);

    expect((await post("/api/oauth/token", { grant_type: "password", username: "a", password: "b" }, creds)).json().error).toBe("unsupported_grant_type");
    expect((await post("/api/oauth/token", { grant_type: "client_credentials", scope: "credentials:*:read" }, creds)).json().error).toBe("invalid_scope");
    expect((await exchange(creds, user.id, "myspace")).json().error).toBe("invalid_target");
    expect((await exchange(creds, user.id, "github", { requested_token_type: "urn:ietf:params:oauth:token-type:refresh_token" })).json().error).toBe(
      "invalid_request",
    );
    expect((await exchange(creds, user.id, "github", { purpose: "x".repeat(201) })).json().error).toBe("invalid_request");
    const repeated = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials&grant_type=client_credentials",
    });
    expect(repeated.status).toBe(400);
    expect((await repeated.json()).error).toBe("invalid_request");
    const asJson = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(asJson.status).toBe(400);

    // Unknown user and a user with no connection answer the same.
    const unknown = await exchange(creds, "no-such-user", "google");
    const notConnected = await exchange(creds, user.id, "google");
    expect(unknown.json()).toEqual({ error: "invalid_request", error_description: "not_connected" });
    expect(notConnected.json()).toEqual(unknown.json());
    expect(notConnected.status).toBe(400);

    // A Tessera access token of the user works as the subject; junk does not.
    const pat = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "subject", scopes: ["profile:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    const byPat = await exchange(creds, pat.token, "github", { subject_token_type: ACCESS_TOKEN });
    expect(byPat.json().access_token).toBe("errors-github-access-token-value");
    expect((await exchange(creds, "tsr_pat_junk", "github", { subject_token_type: ACCESS_TOKEN })).json()).toEqual({
      error: "invalid_request",
      error_description: "invalid_subject_token",
    });
  });

  it("needs_reconnect and temporarily_unavailable (503 + Retry-After) come from the provider's state", async () => {
    const creds = await newClient(["credentials:google:read"]);
    const { user } = await connectedUser(idp(), "google", { expired: true });
    idp().faults.tokenStatus = 503;
    try {
      const unavailable = await exchange(creds, user.id, "google");
      expect(unavailable.status).toBe(503);
      expect(unavailable.json().error).toBe("temporarily_unavailable");
      expect(Number(unavailable.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      idp().faults.tokenStatus = null;
    }
    const dead = await connectedUser(idp(), "google", { expired: true });
    idp().faults.tokenStatus = 400;
    idp().faults.tokenError = "invalid_grant";
    try {
      const reconnect = await exchange(creds, dead.user.id, "google");
      expect(reconnect.json()).toEqual({ error: "invalid_request", error_description: "needs_reconnect" });
    } finally {
      idp().faults.tokenStatus = null;
      idp().faults.tokenError = null;
    }
    const outcomes = await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", actorId: creds.id } });
    expect(outcomes.map((e) => (e.detail as { outcome: string }).outcome).sort()).toEqual(["needs_reconnect", "temporarily_unavailable"]);
  });

  it("a disabled client, a deleted client and a rotated-out secret are refused; disabling and deleting stop issued tokens", async () => {
    const inspector = await newClient(["tokens:introspect"]);
    const creds = await newClient(["credentials:github:read", "tokens:introspect"]);
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "lifecycle-github-access-token" });
    const issue = async (c: Creds) => (await post("/api/oauth/token", { grant_type: "client_credentials" }, c)).json().access_token as string;
    const introspect = async (token: string) => (await post("/api/oauth/introspect", { token }, inspector)).json();

    const sat = await issue(creds);
    expect(await introspect(sat)).toMatchObject({ active: true });
    await updateServiceClient(creds.id, { status: "disabled" }, { type: "admin", id: adminId }, null);
    expect(await introspect(sat)).toEqual({ active: false });
    expect((await exchange(creds, user.id, "github")).status).toBe(401);
    await updateServiceClient(creds.id, { status: "active" }, { type: "admin", id: adminId }, null);
    // Re-enabling brings back the secret, never a token issued before the disable (issue 20 §5).
    expect(await introspect(sat)).toEqual({ active: false });

    const rotated = await rotateServiceSecret(creds.id, 0, { type: "admin", id: adminId }, null);
    expect((await exchange(creds, user.id, "github")).json()).toMatchObject({ error: "invalid_client" });
    expect((await exchange({ ...creds, clientSecret: rotated!.clientSecret }, user.id, "github")).status).toBe(200);

    await deleteServiceClient(creds.id, { type: "admin", id: adminId }, null);
    expect(await introspect(sat)).toEqual({ active: false });
    expect((await exchange({ ...creds, clientSecret: rotated!.clientSecret }, user.id, "github")).status).toBe(401);
  });

  it("introspection needs tokens:introspect; PATs introspect with their owner; anything else is exactly {active:false}", async () => {
    const inspector = await newClient(["tokens:introspect"]);
    const other = await newClient(["credentials:github:read"]);
    const user = await createUser();
    const pat = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "introspected", scopes: ["profile:read", "tokens:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    expect((await post("/api/oauth/introspect", { token: pat.token }, other)).json().error).toBe("unauthorized_client");
    expect((await post("/api/oauth/introspect", { token: pat.token }, null)).status).toBe(401);
    const active = (await post("/api/oauth/introspect", { token: pat.token }, inspector)).json();
    expect(active).toMatchObject({ active: true, sub: user.id, username: user.email, scope: "profile:read tokens:read", token_type: "Bearer" });
    for (const token of ["", "junk", pat.token.slice(0, -1), "tsr_sat_" + "a".repeat(49)]) {
      const response = await post("/api/oauth/introspect", { token }, inspector);
      expect(response.text).toBe('{"active":false}');
    }
  });

  it("revocation: a PAT by whoever presents it, a client only its own tokens, always 200", async () => {
    const inspector = await newClient(["tokens:introspect"]);
    const a = await newClient(["tokens:introspect"]);
    const b = await newClient(["tokens:introspect"]);
    const user = await createUser();
    const pat = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "revoked-by-holder", scopes: ["profile:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    expect((await post("/api/oauth/revoke", { token: pat.token }, null)).status).toBe(200);
    expect((await post("/api/oauth/introspect", { token: pat.token }, inspector)).json()).toEqual({ active: false });
    expect(await getDb().auditEvent.count({ where: { action: "pat.revoked", patId: pat.view.id } })).toBe(1);

    const satOfA = (await post("/api/oauth/token", { grant_type: "client_credentials" }, a)).json().access_token as string;
    expect((await post("/api/oauth/revoke", { token: satOfA }, b)).status).toBe(200);
    expect((await post("/api/oauth/introspect", { token: satOfA }, inspector)).json()).toMatchObject({ active: true });
    expect((await post("/api/oauth/revoke", { token: satOfA }, null)).status).toBe(200);
    expect((await post("/api/oauth/introspect", { token: satOfA }, inspector)).json()).toMatchObject({ active: true });
    expect((await post("/api/oauth/revoke", { token: satOfA }, a, "post")).status).toBe(200);
    expect((await post("/api/oauth/introspect", { token: satOfA }, inspector)).json()).toEqual({ active: false });
    for (const token of ["", "junk", "tsr_pat_x"]) expect((await post("/api/oauth/revoke", { token }, null)).status).toBe(200);
  });

  it("a person's block of a service at a provider is refused as access_denied_by_user and audited", async () => {
    const creds = await newClient(["credentials:github:read"]);
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "blocked-github-access-token" });
    expect((await exchange(creds, user.id, "github")).status).toBe(200);
    await getDb().serviceBlock.create({ data: { userId: user.id, serviceClientId: creds.id, provider: "github" } });
    const refused = await exchange(creds, user.id, "github");
    expect(refused.json()).toEqual({ error: "invalid_request", error_description: "access_denied_by_user" });
    expect(refused.text).not.toContain("blocked-github-access-token");
    const outcomes = await getDb().auditEvent.findMany({ where: { action: "service.token_exchanged", actorId: creds.id }, orderBy: { createdAt: "asc" } });
    expect(outcomes.map((e) => (e.detail as { outcome: string }).outcome)).toEqual(["success", "access_denied_by_user"]);
  });

  it("an exchange records the connection's use (proactive refresh reads it); a blocked one does not", async () => {
    const creds = await newClient(["credentials:github:read"]);
    const lastUsed = async (userId: string) => (await getDb().providerConnection.findFirstOrThrow({ where: { userId, provider: "github" } })).lastUsedAt;
    const used = await createUser();
    await storeSignInTokens(used.id, "github", { accessToken: "used-github-access-token" });
    await getDb().providerConnection.updateMany({ where: { userId: used.id }, data: { lastUsedAt: null } });
    expect((await exchange(creds, used.id, "github")).status).toBe(200);
    expect(await lastUsed(used.id)).not.toBeNull();

    const blocked = await createUser();
    await storeSignInTokens(blocked.id, "github", { accessToken: "unused-github-access-token" });
    await getDb().providerConnection.updateMany({ where: { userId: blocked.id }, data: { lastUsedAt: null } });
    await getDb().serviceBlock.create({ data: { userId: blocked.id, serviceClientId: creds.id, provider: "github" } });
    expect((await exchange(creds, blocked.id, "github")).json().error_description).toBe("access_denied_by_user");
    expect(await lastUsed(blocked.id)).toBeNull();
  });

  it("per-client rate limit: 429 with Retry-After once over the client's limit, other clients unaffected", async () => {
    const limited = await newClient(["tokens:introspect"], { rateLimitPerMinute: 3 });
    const free = await newClient(["tokens:introspect"]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post("/api/oauth/token", { grant_type: "client_credentials" }, limited)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post("/api/oauth/token", { grant_type: "client_credentials" }, limited);
    expect(refused.json().error).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post("/api/oauth/token", { grant_type: "client_credentials" }, free)).status).toBe(200);
  });
});
