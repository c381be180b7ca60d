import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as githubRoute from "@/app/api/credentials/github-secret-scanning/route";
import * as reportLeakRoutes from "@/app/api/credentials/report-leak/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { APP_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { rotateApplicationSecret } from "@/lib/oauth-apps/rotate-application-secret";
import { GITHUB_SECRET_SCANNING_KEYS_VARIABLE } from "@/lib/config/github-secret-scanning-keys";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { rotateServiceSecret } from "@/lib/service-clients/rotate-service-secret";
import { verifyServiceToken } from "@/lib/service-clients/verify-service-token";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { rowCounts } from "../helpers/row-counts";
import { describeOnEachDatabase } from "../helpers/test-database";
import * as tokenRoutes from "@/app/api/tokens/route";

/*
 * Issue 20 §6: a leak report ends every kind of Tessera credential, not only PATs, and GitHub's secret
 * scanning partner program can report them, signed.
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/credentials/report-leaked-tokens.ts: `revokeLeakedAppTokens` removed from LEAK_REVOKERS → "an application's
 *   access token…" and "…refresh token…" fail (/api/v1/me still 200, the refresh still issues tokens).
 * - lib/credentials/report-leaked-tokens.ts: `retireLeakedServiceSecrets, retireLeakedAppSecrets` removed → both client
 *   secret tests fail (client_credentials / the code exchange still authenticate).
 * - lib/credentials/report-github-secret-scanning.ts: `if (!signed) throw invalidSignature();` removed → "bad signatures…"
 *   fails (200 and the PAT revoked).
 * - lib/credentials/retire-leaked-client-secrets.ts: `previousSecretHash: null, previousSecretExpiresAt: null` dropped from
 *   the current-secret retirement → "a leaked current service secret…" fails (the overlapping old secret still works).
 */

const REDIRECT = "https://app.example/cb";
const FORM = { "content-type": "application/x-www-form-urlencoded" };
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

const report = (tokens: string[]) =>
  callRoute(reportLeakRoutes.POST, { method: "POST", path: "/api/credentials/report-leak", headers: { "x-forwarded-for": freshIp() }, body: { tokens } });
const tokenRequest = (form: Record<string, string>) =>
  callRoute(tokenRoute, {
    method: "POST",
    path: "/api/oauth/token",
    headers: { ...FORM, "x-forwarded-for": freshIp() },
    body: new URLSearchParams(form).toString(),
  });
const me = (token: string) => callRoute(meRoute, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": freshIp() } });

/** Every log line, audit row and notice, to look for a planted token value. */
async function everythingWritten(logSpies: ReturnType<typeof vi.spyOn>[]): Promise<string> {
  const audit = await getDb().auditEvent.findMany();
  const notices = await getDb().notification.findMany();
  return JSON.stringify([audit, notices, logSpies.map((spy) => spy.mock.calls)]);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describeOnEachDatabase("leak reports end every kind of Tessera credential", () => {
  let owner: { id: string; cookie: string };
  let person: { id: string };
  let admin: { id: string };
  let logSpies: ReturnType<typeof vi.spyOn>[];

  beforeAll(async () => {
    const dev = await createUser({ email: `leak-dev-${Math.random()}@example.com` });
    owner = { id: dev.id, cookie: await createSessionCookie(dev.id) };
    person = await createUser({ email: `leak-person-${Math.random()}@example.com` });
    admin = await createUser({ email: `leak-admin-${Math.random()}@example.com`, role: "ADMIN" });
  });

  const spyOnLogs = () => {
    logSpies = (["info", "warn", "error"] as const).map((level) => vi.spyOn(logger, level));
  };

  /** A confidential app of `owner`, authorised by `person`: its secret and the person's tokens. */
  async function appWithTokens(): Promise<{ appId: string; clientId: string; clientSecret: string; access: string; refresh: string }> {
    const app = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `leak-app-${Math.random()}`, redirectUris: [REDIRECT], confidential: true }),
      null,
    );
    if (!app.ok || !app.clientSecret) throw new Error("app not created");
    const verifier = "v".repeat(43);
    const validation = await validateAuthorizationRequest({
      client_id: app.view.clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: APP_SCOPES.join(" "),
      code_challenge: s256(verifier),
      code_challenge_method: "S256",
    });
    if (!validation.ok) throw new Error("authorization request refused");
    // A code is issued only to someone signed in (the consent screen's session).
    await createSessionCookie(person.id);
    const code = await issueAuthorizationCode(person.id, validation.request, { consented: true, ip: null });
    const response = await tokenRequest({
      grant_type: "authorization_code",
      code: code!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: app.view.clientId,
      client_secret: app.clientSecret,
    });
    expect(response.status, response.text).toBe(200);
    const body = response.json() as { access_token: string; refresh_token: string };
    return { appId: app.view.id, clientId: app.view.clientId, clientSecret: app.clientSecret, access: body.access_token, refresh: body.refresh_token };
  }

  async function service(): Promise<{ id: string; clientId: string; clientSecret: string }> {
    const created = await createServiceClient({ name: `leak-svc-${Math.random()}`, permissions: ["tokens:introspect"] }, { type: "admin", id: admin.id }, null);
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, clientSecret: created.clientSecret };
  }
  const clientCredentials = (svc: { clientId: string }, secret: string) =>
    tokenRequest({ grant_type: "client_credentials", client_id: svc.clientId, client_secret: secret });
  const refreshWith = (app: { clientId: string; clientSecret: string }, refresh: string) =>
    tokenRequest({ grant_type: "refresh_token", refresh_token: refresh, client_id: app.clientId, client_secret: app.clientSecret });

  it("an application's access token: refused at /api/v1/me afterwards, its family (the refresh token) too; person and app owner told", async () => {
    const app = await appWithTokens();
    expect((await me(app.access)).status).toBe(200);
    spyOnLogs();
    const response = await report([app.access]);
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ received: 1 });
    expect((await me(app.access)).status).toBe(401);
    expect((await refreshWith(app, app.refresh)).json()).toMatchObject({ error: "invalid_grant" });

    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "application.token_leaked", detail: { path: ["applicationId"], equals: app.appId } },
    });
    expect(event).toMatchObject({ subjectUserId: person.id, actorType: "system", detail: expect.objectContaining({ kind: "access", revokedCount: 2 }) });
    expect(await getDb().notification.count({ where: { userId: person.id, kind: "application.token_leaked" } })).toBeGreaterThan(0);
    expect(await getDb().notification.count({ where: { userId: owner.id, kind: "application.token_leaked" } })).toBeGreaterThan(0);
    const written = await everythingWritten(logSpies);
    for (const value of [app.access, app.refresh]) expect(written).not.toContain(value.slice(8));
  });

  it("an application's refresh token: the refresh grant refuses it afterwards and its access token stops too", async () => {
    const app = await appWithTokens();
    expect((await report([app.refresh])).status).toBe(202);
    expect((await refreshWith(app, app.refresh)).json()).toMatchObject({ error: "invalid_grant" });
    expect((await me(app.access)).status).toBe(401);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "application.token_leaked", detail: { path: ["applicationId"], equals: app.appId } },
    });
    expect(event.detail).toMatchObject({ kind: "refresh" });
  });

  it("an application's client secret stops authenticating the app until rotated; its owner is told; people's access stays", async () => {
    const app = await appWithTokens();
    spyOnLogs();
    expect((await report([app.clientSecret])).status).toBe(202);
    expect((await refreshWith(app, app.refresh)).json()).toMatchObject({ error: "invalid_client" });
    // A leaked secret alone reads nobody's data: the person's access token keeps working.
    expect((await me(app.access)).status).toBe(200);
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "application.secret_leaked", detail: { path: ["applicationId"], equals: app.appId } },
    });
    expect(event).toMatchObject({ subjectUserId: owner.id, detail: expect.objectContaining({ retired: "current" }) });
    expect(await getDb().notification.count({ where: { userId: owner.id, kind: "application.secret_leaked" } })).toBeGreaterThan(0);
    expect(await everythingWritten(logSpies)).not.toContain(app.clientSecret.slice(7));
    // The usual rotation gives a working secret again.
    const rotated = await rotateApplicationSecret(owner.id, app.appId, 0, { type: "user", id: owner.id }, null);
    if (!rotated.ok) throw new Error(rotated.code);
    expect((await refreshWith({ clientId: app.clientId, clientSecret: rotated.clientSecret }, app.refresh)).status).toBe(200);
  });

  it("a leaked current service secret stops client_credentials (the overlapping old one too); live access tokens revoked; admins told", async () => {
    const svc = await service();
    const rotated = await rotateServiceSecret(svc.id, 3600, { type: "admin", id: admin.id }, null);
    if (!rotated) throw new Error("not rotated");
    const { token: sat } = await issueServiceToken(svc.id, ["tokens:introspect"]);
    expect((await clientCredentials(svc, rotated.clientSecret)).status).toBe(200);
    expect((await clientCredentials(svc, svc.clientSecret)).status).toBe(200);

    expect((await report([rotated.clientSecret])).status).toBe(202);
    expect((await clientCredentials(svc, rotated.clientSecret)).json()).toMatchObject({ error: "invalid_client" });
    expect((await clientCredentials(svc, svc.clientSecret)).json()).toMatchObject({ error: "invalid_client" });
    expect(await verifyServiceToken(sat)).toBeNull();
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "service.secret_leaked", detail: { path: ["serviceClientId"], equals: svc.id } },
    });
    expect(event).toMatchObject({ subjectUserId: admin.id, detail: expect.objectContaining({ retired: "current" }) });
    expect(await getDb().notification.count({ where: { userId: admin.id, kind: "service.secret_leaked" } })).toBeGreaterThan(0);

    const again = await rotateServiceSecret(svc.id, 0, { type: "admin", id: admin.id }, null);
    expect((await clientCredentials(svc, again!.clientSecret)).status).toBe(200);
  });

  it("a leaked previous service secret (in its overlap) ends the overlap; the current secret keeps working", async () => {
    const svc = await service();
    const rotated = await rotateServiceSecret(svc.id, 3600, { type: "admin", id: admin.id }, null);
    expect((await report([svc.clientSecret])).status).toBe(202);
    expect((await clientCredentials(svc, svc.clientSecret)).json()).toMatchObject({ error: "invalid_client" });
    expect((await clientCredentials(svc, rotated!.clientSecret)).status).toBe(200);
  });

  it("the answer is the same 202 whether every kind was live or none was", async () => {
    const app = await appWithTokens();
    const svc = await service();
    const { token: sat } = await issueServiceToken(svc.id, ["tokens:introspect"]);
    const live = [app.access, app.clientSecret, sat, svc.clientSecret];
    const dead = await report(live.map((value) => value.slice(0, -1) + (value.endsWith("A") ? "B" : "A")));
    const alive = await report(live);
    expect((await me(app.access)).status).toBe(401);
    const strip = (headers: Headers) => [...headers.entries()].filter(([name]) => name !== "date");
    expect({ status: alive.status, text: alive.text, headers: strip(alive.headers) }).toEqual({
      status: dead.status,
      text: dead.text,
      headers: strip(dead.headers),
    });
  });

  describe("GitHub secret scanning", () => {
    let keys: { privateKey: KeyObject; publicPem: string };
    const KEY_ID = "test-key-1";

    beforeAll(() => {
      const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      keys = { privateKey: pair.privateKey, publicPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString() };
    });

    const configure = () =>
      vi.stubEnv(GITHUB_SECRET_SCANNING_KEYS_VARIABLE, JSON.stringify({ public_keys: [{ key_identifier: KEY_ID, key: keys.publicPem, is_current: true }] }));
    const signed = (body: string, privateKey = keys.privateKey) =>
      sign("sha256", Buffer.from(body), { key: privateKey, dsaEncoding: "der" }).toString("base64");
    const post = (body: string, headers: Record<string, string>) =>
      callRoute(githubRoute.POST, {
        method: "POST",
        path: "/api/credentials/github-secret-scanning",
        headers: { "content-type": "application/json", "x-forwarded-for": freshIp(), ...headers },
        body,
      });

    async function pat(): Promise<string> {
      const response = await callRoute(tokenRoutes.POST, {
        method: "POST",
        path: "/api/tokens",
        headers: sameOrigin(owner.cookie),
        body: { name: `gh-${Math.random()}`, scopes: ["profile:read"], expiresInDays: 7 },
      });
      return response.json().token as string;
    }

    it("a validly signed report revokes what it names and answers GitHub's feedback (hashes and labels, never a token)", async () => {
      configure();
      const token = await pat();
      const app = await appWithTokens();
      const body = JSON.stringify([
        { token, type: "tessera_pat", url: "https://github.com/octocat/hello/blob/abc/config.yml", source: "content" },
        { token: app.refresh, type: "tessera_app_refresh", url: "", source: "commit" },
        { token: "tsr_pat_notreal", type: "tessera_pat", url: "", source: "commit" },
      ]);
      spyOnLogs();
      const response = await post(body, { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(body) });
      expect(response.status, response.text).toBe(200);
      const sha = (value: string) => createHash("sha256").update(value).digest("hex");
      expect(response.json()).toEqual([
        { token_hash: sha(token), token_type: "tessera_pat", label: "true_positive" },
        { token_hash: sha(app.refresh), token_type: "tessera_app_refresh", label: "true_positive" },
        { token_hash: sha("tsr_pat_notreal"), token_type: "tessera_pat", label: "false_positive" },
      ]);
      expect((await me(token)).status).toBe(401);
      expect((await me(app.access)).status).toBe(401);
      const leaked = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.leaked", subjectUserId: owner.id }, orderBy: { createdAt: "desc" } });
      expect(leaked.detail).toMatchObject({ via: "github_secret_scanning", foundAt: "https://github.com/octocat/hello/blob/abc/config.yml" });
      const written = (await everythingWritten(logSpies)) + response.text;
      for (const value of [token, app.refresh]) expect(written).not.toContain(value.slice(8));
    });

    it("bad signatures, unknown key ids, missing headers and no configured keys: 401, nothing revoked", async () => {
      const token = await pat();
      const body = JSON.stringify([{ token, type: "tessera_pat", url: "", source: "content" }]);
      const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
      const before = await rowCounts();
      // Not configured at all: even a good signature is refused.
      expect((await post(body, { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(body) })).status).toBe(401);
      configure();
      const cases: Record<string, string>[] = [
        {},
        { "github-public-key-identifier": KEY_ID },
        { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(body, other) },
        { "github-public-key-identifier": "unknown-key", "github-public-key-signature": signed(body) },
        { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(body + " ") },
        { "github-public-key-identifier": KEY_ID, "github-public-key-signature": "not base64 !!" },
        { "github-public-key-identifier": KEY_ID, "github-public-key-signature": Buffer.from("junk").toString("base64") },
      ];
      for (const headers of cases) {
        const response = await post(body, headers);
        expect(response.status, JSON.stringify(headers)).toBe(401);
        expect(response.json()).toEqual({ error: { code: "invalid_signature", message: expect.any(String) } });
      }
      expect(await rowCounts()).toEqual(before);
      expect((await me(token)).status).toBe(200);
    });

    it("a signed body that is not a list of matches is a 400, nothing revoked", async () => {
      configure();
      for (const body of ["{nope", JSON.stringify({ token: "x" }), JSON.stringify([{ token: 1, type: "t" }])]) {
        const response = await post(body, { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(body) });
        expect(response.status, body).toBe(400);
      }
      const empty = "[]";
      expect((await post(empty, { "github-public-key-identifier": KEY_ID, "github-public-key-signature": signed(empty) })).json()).toEqual([]);
    });
  });
});
