import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { REFRESH_REUSE_WINDOW_VARIABLE } from "@/lib/config/refresh-reuse-window";
import { getDb } from "@/lib/db/client";
import { purgeExpired } from "@/lib/jobs/purge-expired";
import { logger } from "@/lib/log/logger";
import { hashAppSecret, s256 } from "@/lib/oauth-apps/app-secrets";
import type { AuthenticatedApplication } from "@/lib/oauth-apps/authenticate-application";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { revokeAppToken } from "@/lib/oauth-apps/find-app-token";
import { refreshAppTokens } from "@/lib/oauth-apps/refresh-app-tokens";
import { createSessionCookie, createUser } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 22, items 5 and 6, over HTTP against the token route (as oauth-applications.test.ts does):
 * - loopback redirect URIs match on any port (RFC 8252 §7.3), and the code stays bound to the exact
 *   string presented at authorize (RFC 6749 §4.1.3);
 * - the refresh reuse window: the same client presenting the refresh token it just rotated gets the same
 *   new pair, concurrently too; after the window, reuse revokes the family as before.
 * The 7 concurrent refreshes run in this process, each on its own pooled connection, so they meet at
 * PostgreSQL's row lock exactly as two instances would (tests/integration/two-instances.test.ts needs a
 * production build).
 */

const REGISTERED_LOOPBACK = "http://127.0.0.1:8080/callback";
const NATIVE_SCHEME = "com.example.tessera:/oauth/callback";

type App = { id: string; clientId: string; clientSecret: string | null; auth: AuthenticatedApplication };
type Pair = { access_token: string; refresh_token: string; expires_in: number; scope: string };

describeOnEachDatabase("loopback redirects and the refresh reuse window", () => {
  let server: { url: string; close(): Promise<void> };
  let owner: { id: string };
  const previousWindow = process.env[REFRESH_REUSE_WINDOW_VARIABLE];

  beforeAll(async () => {
    server = await serveRouteHandlers({ "POST /api/oauth/token": tokenRoute, "GET /api/v1/me": meRoute });
    owner = await createUser({ email: `reuse-${randomBytes(3).toString("hex")}@example.com` });
    process.env[REFRESH_REUSE_WINDOW_VARIABLE] = "30";
  });
  afterEach(() => {
    process.env[REFRESH_REUSE_WINDOW_VARIABLE] = "30";
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    if (previousWindow === undefined) delete process.env[REFRESH_REUSE_WINDOW_VARIABLE];
    else process.env[REFRESH_REUSE_WINDOW_VARIABLE] = previousWindow;
    await server?.close();
  });

  async function newApp(confidential = true, redirectUris = ["https://app.example/callback", REGISTERED_LOOPBACK]): Promise<App> {
    const created = await createApplication(owner.id, createApplicationSchema.parse({ name: `reuse-${Math.random()}`, redirectUris, confidential }), null);
    if (!created.ok) throw new Error(created.message);
    const { id, clientId, name } = created.view;
    return { id, clientId, clientSecret: created.clientSecret, auth: { id, clientId, name, confidential, ownerUserId: owner.id } };
  }

  /** A person authorizes `app` with `redirectUri` and gets a code, as the consent screen does. */
  async function authorize(app: App, redirectUri = "https://app.example/callback") {
    const user = await createUser();
    await createSessionCookie(user.id);
    const codeVerifier = randomBytes(32).toString("base64url");
    const validation = await validateAuthorizationRequest({
      client_id: app.clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "profile:read connections:read",
      state: "st",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
    });
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    const code = await issueAuthorizationCode(user.id, validation.request, { consented: true, ip: null });
    if (!code) throw new Error("no code");
    return { userId: user.id, code, codeVerifier, redirectUri };
  }

  async function token(app: App, form: Record<string, string>) {
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (app.clientSecret) headers.authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`;
    else body.set("client_id", app.clientId);
    const response = await fetch(`${server.url}/api/oauth/token`, { method: "POST", headers, body });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }
  const redeem = (app: App, grant: { code: string; codeVerifier: string }, redirectUri: string) =>
    token(app, { grant_type: "authorization_code", code: grant.code, code_verifier: grant.codeVerifier, redirect_uri: redirectUri });
  const refresh = (app: App, refreshToken: string, extra: Record<string, string> = {}) =>
    token(app, { grant_type: "refresh_token", refresh_token: refreshToken, ...extra });
  const me = async (accessToken: string) => (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

  async function firstPair(app: App): Promise<{ userId: string; pair: Pair; familyId: string }> {
    const grant = await authorize(app);
    const redeemed = await redeem(app, grant, grant.redirectUri);
    expect(redeemed.status).toBe(200);
    const pair = redeemed.json as Pair;
    const row = await getDb().oAuthRefreshToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(pair.refresh_token) } });
    return { userId: grant.userId, pair, familyId: row.familyId };
  }
  const revokedInFamily = async (familyId: string) =>
    (await getDb().oAuthRefreshToken.count({ where: { familyId, revokedAt: { not: null } } })) +
    (await getDb().oAuthAccessToken.count({ where: { familyId, revokedAt: { not: null } } }));
  const reuseEvents = (userId: string) => getDb().auditEvent.count({ where: { action: "application.refresh_reused", subjectUserId: userId } });
  // A replay inside the window is audited as such, apart from reuse (which revokes): removing the
  // recordAuditEvent call after replayRotation in lib/oauth-apps/refresh-app-tokens.ts turns the replay assertions red.
  const replayEvents = (userId: string) =>
    getDb().auditEvent.findMany({ where: { action: "application.refresh_replayed", subjectUserId: userId }, orderBy: { createdAt: "asc" } });

  it("an app registered with http://127.0.0.1:8080/callback completes the code flow from port 54321, bound to that exact URI", async () => {
    const app = await newApp(false);
    const grant = await authorize(app, "http://127.0.0.1:54321/callback");
    // The token request must present the string used at authorize, not the registered one.
    expect((await redeem(app, grant, REGISTERED_LOOPBACK)).json).toMatchObject({ error: "invalid_grant" });
    const other = await authorize(app, "http://127.0.0.1:54321/callback");
    const redeemed = await redeem(app, other, "http://127.0.0.1:54321/callback");
    expect(redeemed.status).toBe(200);
    expect(await me(String(redeemed.json.access_token))).toBe(200);

    for (const uri of [
      "http://localhost:54321/callback",
      "http://[::1]:54321/callback",
      "http://127.0.0.1:54321/callback/",
      "https://127.0.0.1:54321/callback",
    ]) {
      expect(await validateAuthorizationRequest({ client_id: app.clientId, redirect_uri: uri }), uri).toMatchObject({ ok: false, kind: "fatal" });
    }
  });

  it("a public app completes the code flow with its private-use scheme; a confidential app cannot register one", async () => {
    const app = await newApp(false, [NATIVE_SCHEME]);
    const grant = await authorize(app, NATIVE_SCHEME);
    expect((await redeem(app, grant, NATIVE_SCHEME)).status).toBe(200);
    expect(createApplicationSchema.safeParse({ name: "server app", redirectUris: [NATIVE_SCHEME], confidential: true }).success).toBe(false);
  });

  it("7 concurrent refreshes with one refresh token all get the same new pair and revoke nothing", async () => {
    const app = await newApp();
    const { userId, pair, familyId } = await firstPair(app);
    const answers = await Promise.all(Array.from({ length: 7 }, () => refresh(app, pair.refresh_token)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(7).fill(200));
    const children = new Set(answers.map((answer) => `${answer.json.access_token} ${answer.json.refresh_token}`));
    expect(children.size).toBe(1);
    const child = answers[0]!.json as Pair;
    expect(child.refresh_token).not.toBe(pair.refresh_token);
    expect(child.scope).toBe("profile:read connections:read");
    for (const answer of answers) expect(answer.json.expires_in).toBeGreaterThan(3500);
    // One rotation happened: the first pair and one child, nothing revoked, no reuse alarm.
    expect(await getDb().oAuthRefreshToken.count({ where: { familyId } })).toBe(2);
    expect(await getDb().oAuthAccessToken.count({ where: { familyId } })).toBe(2);
    expect(await revokedInFamily(familyId)).toBe(0);
    expect(await reuseEvents(userId)).toBe(0);
    // Six of the seven were answered from the seal: one audit event each, by the app, about the person.
    const replays = await replayEvents(userId);
    expect(replays).toHaveLength(6);
    for (const event of replays) {
      expect(event).toMatchObject({ actorType: "application", actorId: app.id, detail: { familyId, withinSeconds: expect.any(Number) } });
      expect((event.detail as { withinSeconds: number }).withinSeconds).toBeLessThan(30);
    }
    // The child pair works, and rotates on.
    expect(await me(child.access_token)).toBe(200);
    expect((await refresh(app, child.refresh_token)).status).toBe(200);
  });

  it("after the window, reuse revokes the family as before, and the sealed response is gone", async () => {
    const app = await newApp();
    const { userId, pair, familyId } = await firstPair(app);
    const t0 = new Date();
    const first = await refreshAppTokens(app.auth, { refreshToken: pair.refresh_token }, null, t0, 30);
    if (!first.ok) throw new Error(first.description);
    const within = await refreshAppTokens(app.auth, { refreshToken: pair.refresh_token }, null, new Date(t0.getTime() + 29_000), 30);
    expect(within).toMatchObject({ ok: true, accessToken: first.accessToken, refreshToken: first.refreshToken });
    expect((await replayEvents(userId)).map((event) => event.detail)).toEqual([{ applicationId: app.id, clientId: app.clientId, familyId, withinSeconds: 29 }]);
    const used = await getDb().oAuthRefreshToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(pair.refresh_token) } });
    expect(used.replayCiphertext).toMatch(/^v1\./);

    const after = await refreshAppTokens(app.auth, { refreshToken: pair.refresh_token }, null, new Date(t0.getTime() + 30_000), 30);
    expect(after).toMatchObject({ ok: false, error: "invalid_grant", description: expect.stringMatching(/every token of its family is revoked/) });
    expect(await me(first.accessToken)).toBe(401);
    expect((await refresh(app, first.refreshToken)).json).toMatchObject({ error: "invalid_grant" });
    expect(await revokedInFamily(familyId)).toBe(4);
    expect(await reuseEvents(userId)).toBe(1);
    expect(await replayEvents(userId), "a reuse past the window is no replay").toHaveLength(1);
    const rows = await getDb().oAuthRefreshToken.findMany({ where: { familyId } });
    expect(rows.map((row) => [row.replayCiphertext, row.replayUntil])).toEqual(rows.map(() => [null, null]));
  });

  it("the daily purge clears a seal whose window ended, even when the family never refreshes again", async () => {
    const app = await newApp();
    const { pair } = await firstPair(app);
    const t0 = new Date();
    const first = await refreshAppTokens(app.auth, { refreshToken: pair.refresh_token }, null, t0, 30);
    if (!first.ok) throw new Error(first.description);
    const sealed = () => getDb().oAuthRefreshToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(pair.refresh_token) } });
    await purgeExpired(new Date(t0.getTime() + 10_000));
    expect((await sealed()).replayCiphertext, "inside the window the seal stays").toMatch(/^v1\./);
    // Removing the refreshReplaySeals line of lib/jobs/purge-expired.ts turns this red.
    expect((await purgeExpired(new Date(t0.getTime() + 31_000))).refreshReplaySeals).toBeGreaterThanOrEqual(1);
    expect(await sealed()).toMatchObject({ replayCiphertext: null, replayUntil: null });
    expect(await me(first.accessToken), "the child pair itself keeps working").toBe(200);
  });

  it("through the route: a window of 1 s ends, and 0 turns it off", async () => {
    const app = await newApp();
    process.env[REFRESH_REUSE_WINDOW_VARIABLE] = "1";
    const a = await firstPair(app);
    const child = (await refresh(app, a.pair.refresh_token)).json as Pair;
    expect((await refresh(app, a.pair.refresh_token)).json).toMatchObject({ refresh_token: child.refresh_token });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await refresh(app, a.pair.refresh_token)).json).toMatchObject({ error: "invalid_grant" });
    expect(await me(child.access_token)).toBe(401);

    process.env[REFRESH_REUSE_WINDOW_VARIABLE] = "0";
    const b = await firstPair(app);
    const next = (await refresh(app, b.pair.refresh_token)).json as Pair;
    expect((await refresh(app, b.pair.refresh_token)).json).toMatchObject({ error: "invalid_grant" });
    expect(await me(next.access_token)).toBe(401);
    expect((await getDb().oAuthRefreshToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(b.pair.refresh_token) } })).replayCiphertext).toBeNull();
  });

  it("another client presenting the token gets invalid_grant, as before (the owner's replay still works)", async () => {
    const app = await newApp();
    const intruder = await newApp();
    const { pair, familyId } = await firstPair(app);
    const child = (await refresh(app, pair.refresh_token)).json as Pair;
    expect(await refresh(intruder, pair.refresh_token)).toMatchObject({
      status: 400,
      json: { error: "invalid_grant", error_description: "The refresh token is invalid." },
    });
    expect(await refresh(intruder, child.refresh_token)).toMatchObject({ status: 400, json: { error: "invalid_grant" } });
    expect(await revokedInFamily(familyId)).toBe(0);
    expect((await refresh(app, pair.refresh_token)).json).toMatchObject({ refresh_token: child.refresh_token });
  });

  it("a replay gets invalid_grant once the child pair was revoked or the grant deleted, or when it asks for other scopes", async () => {
    const app = await newApp();
    const revoked = await firstPair(app);
    const child = (await refresh(app, revoked.pair.refresh_token)).json as Pair;
    await revokeAppToken(child.refresh_token, app.id, null);
    expect((await refresh(app, revoked.pair.refresh_token)).json).toMatchObject({ error: "invalid_grant" });

    const accessOnly = await firstPair(app);
    const second = (await refresh(app, accessOnly.pair.refresh_token)).json as Pair;
    await revokeAppToken(second.access_token, app.id, null);
    expect((await refresh(app, accessOnly.pair.refresh_token)).json).toMatchObject({ error: "invalid_grant" });

    const deleted = await firstPair(app);
    await refresh(app, deleted.pair.refresh_token);
    const row = await getDb().oAuthRefreshToken.findUniqueOrThrow({ where: { tokenHash: hashAppSecret(deleted.pair.refresh_token) } });
    await getDb().oAuthGrant.delete({ where: { id: row.grantId } });
    expect((await refresh(app, deleted.pair.refresh_token)).json).toMatchObject({ error: "invalid_grant" });

    const narrowed = await firstPair(app);
    await refresh(app, narrowed.pair.refresh_token, { scope: "profile:read" });
    expect((await refresh(app, narrowed.pair.refresh_token, { scope: "connections:read" })).json).toMatchObject({ error: "invalid_grant" });
    expect((await refresh(app, narrowed.pair.refresh_token, { scope: "profile:read" })).json).toMatchObject({ scope: "profile:read" });
    expect((await refresh(app, narrowed.pair.refresh_token)).json).toMatchObject({ scope: "profile:read" });
    expect(await revokedInFamily(narrowed.familyId)).toBe(0);
  });

  it("token values never reach the logs, the audit trail or the database in clear", async () => {
    const spies = [
      ...(["debug", "info", "warn", "error"] as const).map((level) => vi.spyOn(logger, level)),
      ...(["log", "info", "warn", "error"] as const).map((level) => vi.spyOn(console, level)),
    ];
    const app = await newApp();
    const { userId, pair, familyId } = await firstPair(app);
    const answers = await Promise.all(Array.from({ length: 3 }, () => refresh(app, pair.refresh_token)));
    const child = answers[0]!.json as Pair;
    const t = new Date(Date.now() + 60_000);
    await refreshAppTokens(app.auth, { refreshToken: pair.refresh_token }, null, t, 30);

    const planted = [pair.access_token, pair.refresh_token, child.access_token, child.refresh_token];
    const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
    const audit = JSON.stringify(await getDb().auditEvent.findMany({ where: { subjectUserId: userId } }));
    expect(audit).toContain("application.refresh_reused");
    const stored = JSON.stringify([
      await getDb().oAuthRefreshToken.findMany({ where: { familyId } }),
      await getDb().oAuthAccessToken.findMany({ where: { familyId } }),
    ]);
    for (const value of planted) {
      for (const [where, text] of [
        ["logs", logged],
        ["audit", audit],
        ["database", stored],
      ] as const) {
        expect(text.includes(value), `${where} holds a token value`).toBe(false);
        expect(text.includes(value.slice(8)), `${where} holds a token's random part`).toBe(false);
      }
    }
  });
});
