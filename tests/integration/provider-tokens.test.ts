import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { afterEach, expect, it, vi } from "vitest";
import { POST as oauthTokenRoute } from "@/app/api/oauth/token/route";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { getOverview } from "@/lib/admin/get-overview";
import { generateKeyringEntry } from "@/lib/crypto";
import { listConnections } from "@/lib/connections/list-connections";
import { getDb } from "@/lib/db/client";
import { introspectToken, obtainTokensByCodeFlow, revokeTokenAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { logger } from "@/lib/log/logger";
import { ReconnectRequiredError, RefreshUnavailableError } from "@/lib/provider-tokens/errors";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { CLIENT_ERROR_STATE } from "@/lib/provider-tokens/record-provider-client-error";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { rotateTokenKeys } from "@/lib/provider-tokens/rotate-token-keys";
import { createWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { openWebhookSecret } from "@/lib/webhooks/webhook-secret";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { connectedUser as connect, type DemoProvider } from "../helpers/connected-user";
import { callRoute, createUser } from "../helpers/fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { getToken, listTokenNames, removeTokens, setToken } from "../helpers/provider-token-rows";
import { describeOnEachDatabase } from "../helpers/test-database";

const APP = TEST_APP_URL;
const SECRET = TEST_IDP_SECRET;
const demoIdp = startDemoIdpForFile();
const originalKeys = process.env.TOKEN_ENCRYPTION_KEYS!;
afterEach(() => {
  process.env.TOKEN_ENCRYPTION_KEYS = originalKeys;
  process.env.DEMO_IDP_CLIENT_SECRET = SECRET;
  Object.assign(demoIdp().faults, { tokenDelayMs: 0, tokenStatus: null, tokenError: null, tokenRetryAfter: null });
  vi.restoreAllMocks();
});

const connectedUser = (provider: DemoProvider = "google", options: { expired?: boolean } = {}) => connect(demoIdp(), provider, options);

const sha = (value: string) => createHash("sha256").update(value).digest("hex");

describeOnEachDatabase("ProviderTokenStore", (current) => {
  it("sets, gets and removes tokens, per user and per provider", async () => {
    const a = await createUser();
    const b = await createUser();
    await setToken(a.id, "google", "access_token", "A-google-access");
    await setToken(a.id, "github", "access_token", "A-github-access");
    await setToken(b.id, "google", "access_token", "B-google-access");
    expect(await getToken(a.id, "google", "access_token")).toBe("A-google-access");
    expect(await getToken(a.id, "github", "access_token")).toBe("A-github-access");
    expect(await getToken(b.id, "google", "access_token")).toBe("B-google-access");
    expect(await getToken(b.id, "github", "access_token")).toBeNull();
    expect(await listTokenNames(a.id)).toEqual([
      { provider: "github", names: ["access_token"] },
      { provider: "google", names: ["access_token"] },
    ]);
    expect(await removeTokens(a.id, "google")).toEqual(["access_token"]);
    expect(await getToken(a.id, "google", "access_token")).toBeNull();
    expect(await getToken(a.id, "github", "access_token")).toBe("A-github-access");
    expect(await getToken(b.id, "google", "access_token")).toBe("B-google-access");
  });

  it("stores no plaintext: the planted value is nowhere in the table", async () => {
    const user = await createUser();
    const planted = "PLANTED-ya29.a0AfB_secret-value-0123456789";
    await setToken(user.id, "google", "refresh_token", planted);
    const rows = await current().db.$queryRawUnsafe<unknown[]>(`SELECT * FROM "ProviderToken"`);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(planted);
    expect(dump).not.toContain(Buffer.from(planted).toString("base64"));
    const audit = JSON.stringify(await current().db.auditEvent.findMany());
    expect(audit).not.toContain(planted);
  });

  it("refuses a tampered ciphertext and one moved to another row or field", async () => {
    const [a, b] = [await createUser(), await createUser()];
    await setToken(a.id, "google", "access_token", "value-a");
    await setToken(b.id, "google", "access_token", "value-b");
    await setToken(a.id, "google", "refresh_token", "refresh-a");
    const db = getDb();
    const rowA = await db.providerToken.findFirstOrThrow({ where: { userId: a.id, name: "access_token" } });
    const rowB = await db.providerToken.findFirstOrThrow({ where: { userId: b.id, name: "access_token" } });
    const refreshA = await db.providerToken.findFirstOrThrow({ where: { userId: a.id, name: "refresh_token" } });

    await db.providerToken.update({ where: { id: rowB.id }, data: { ciphertext: rowA.ciphertext } });
    await expect(getToken(b.id, "google", "access_token")).rejects.toThrow(/could not decrypt/);
    await db.providerToken.update({ where: { id: refreshA.id }, data: { ciphertext: rowA.ciphertext } });
    await expect(getToken(a.id, "google", "refresh_token")).rejects.toThrow(/could not decrypt/);
    const parts = rowA.ciphertext.split(".");
    const body = parts[3]!;
    parts[3] = (body[0] === "A" ? "B" : "A") + body.slice(1);
    await db.providerToken.update({ where: { id: rowA.id }, data: { ciphertext: parts.join(".") } });
    await expect(getToken(a.id, "google", "access_token")).rejects.toThrow(/could not decrypt/);
    await removeTokens(a.id, "google");
    await removeTokens(b.id, "google");
  });

  it("rotates keys: old-key rows read until rotated, then everything is under the new key", async () => {
    const user = await createUser();
    const oldEntry = generateKeyringEntry("oldkey");
    const newEntry = generateKeyringEntry("newkey");
    process.env.TOKEN_ENCRYPTION_KEYS = oldEntry;
    await setToken(user.id, "github", "access_token", "rotate-me");
    const admin = await createUser({ role: "ADMIN" });
    vi.stubEnv("TESSERA_WEBHOOK_ALLOW_PRIVATE", "1"); // a loopback URL, never called here
    const webhook = await createWebhookEndpoint({ url: "http://127.0.0.1:9/tessera", events: ["pat.revoked"] }, { type: "admin", id: admin.id }, null);
    vi.unstubAllEnvs();
    if (!webhook.ok) throw new Error(webhook.message);
    // The ring keeps every older key (including the suite's own) until rotation is done.
    process.env.TOKEN_ENCRYPTION_KEYS = `${newEntry},${oldEntry},${originalKeys}`;
    expect(await getToken(user.id, "github", "access_token")).toBe("rotate-me");
    const report = await rotateTokenKeys();
    expect(report.reencrypted).toBeGreaterThanOrEqual(1);
    expect(report.failed).toBe(0);
    expect(await getDb().providerToken.count({ where: { keyId: { not: "newkey" } } })).toBe(0);
    // Guards the webhook loop in rotateTokenKeys: without it the endpoint stays under oldkey and cannot sign.
    expect(report.webhookSecretsFailed).toBe(0);
    expect(await getDb().webhookEndpoint.count({ where: { secretKeyId: { not: "newkey" } } })).toBe(0);
    process.env.TOKEN_ENCRYPTION_KEYS = newEntry;
    expect(await getToken(user.id, "github", "access_token")).toBe("rotate-me");
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(openWebhookSecret(endpoint)).toBe(webhook.secret);
  });

  it("refreshes an expired access token through the IdP, storing the rotated refresh token", async () => {
    const { user, tokens } = await connectedUser("google", { expired: true });
    const before = demoIdp().counters.refreshGrants[DEMO_CLIENT_IDS.google]!;
    const started = performance.now();
    const fresh = await getFreshAccessToken(user.id, "google");
    const elapsed = performance.now() - started;
    console.log(`refresh through the demo IdP took ${elapsed.toFixed(1)} ms (${current().kind})`);
    expect(fresh.refreshed).toBe(true);
    expect(fresh.accessToken).not.toBe(tokens.access_token);
    expect(demoIdp().counters.refreshGrants[DEMO_CLIENT_IDS.google]).toBe(before + 1);
    const storedRefresh = await getToken(user.id, "google", "refresh_token");
    expect(storedRefresh).not.toBe(tokens.refresh_token);
    expect((await introspectToken(demoIdp().issuer, DEMO_CLIENT_IDS.google, SECRET, fresh.accessToken)).active).toBe(true);
    // Still fresh: no second refresh.
    const again = await getFreshAccessToken(user.id, "google");
    expect(again).toMatchObject({ accessToken: fresh.accessToken, refreshed: false });
    expect(demoIdp().counters.refreshGrants[DEMO_CLIENT_IDS.google]).toBe(before + 1);
    const audit = await getDb().auditEvent.findMany({ where: { subjectUserId: user.id, action: "provider_token.refreshed" } });
    expect(audit).toHaveLength(1);
  });

  /*
   * Single flight across processes, proven by overlap. Three processes each call getFreshAccessToken
   * once, released together; the token endpoint takes 1.5 s, so all three are inside the call while
   * the one refresh is in flight and must wait on the database lease (not on an in-process promise).
   * Mutation check (done once, red): deleting the lease claim's condition
   *   AND ("refreshingUntil" IS NULL OR "refreshingUntil" < now())
   * in claimLease (lib/provider-tokens/refresh-lease.ts) lets every process claim, so the
   * IdP sees several refresh grants (the reused rotating refresh token then kills the grant).
   */
  it("callers in three processes overlap, exactly one refreshes, and all get the token it stored", async () => {
    const { user } = await connectedUser("microsoft-entra-id", { expired: true });
    const clientId = DEMO_CLIENT_IDS["microsoft-entra-id"];
    const grantsBefore = demoIdp().counters.refreshGrants[clientId]!;
    const requestsBefore = demoIdp().counters.tokenRequests;
    demoIdp().faults.tokenDelayMs = 1500;
    type Report = { start: number; end: number; refreshed?: boolean; digest?: string; error?: string };
    const workers = Array.from({ length: 3 }, () => {
      const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/helpers/fresh-token-worker.ts"], {
        env: { ...process.env, WORKER_DATABASE_URL: current().url, USER_ID: user.id, PROVIDER: "microsoft-entra-id" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      let markReady: () => void;
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => {
        err += chunk;
        if (err.includes("ready\n")) markReady();
      });
      const report = new Promise<Report>((resolve, reject) =>
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Report) : reject(new Error(`worker failed: ${err}`)))),
      );
      return { child, ready, report };
    });
    let reports: Report[];
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.end("go\n");
      reports = await Promise.all(workers.map((w) => w.report));
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }

    expect(reports.filter((r) => r.error)).toEqual([]);
    const refreshers = reports.filter((r) => r.refreshed);
    expect(refreshers).toHaveLength(1);
    const refreshDone = refreshers[0]!.end;
    // Every process was inside getFreshAccessToken before the one refresh finished: they contended.
    for (const r of reports) expect(r.start).toBeLessThan(refreshDone);
    expect(demoIdp().counters.refreshGrants[clientId]).toBe(grantsBefore + 1);
    expect(demoIdp().counters.tokenRequests).toBe(requestsBefore + 1);
    expect(new Set(reports.map((r) => r.digest)).size).toBe(1);
    expect(sha((await getToken(user.id, "microsoft-entra-id", "access_token"))!)).toBe(reports[0]!.digest);
  }, 60_000);

  it("concurrent callers in one process share one refresh", async () => {
    const { user } = await connectedUser("google", { expired: true });
    const before = demoIdp().counters.tokenRequests;
    demoIdp().faults.tokenDelayMs = 200;
    const results = await Promise.all(Array.from({ length: 20 }, () => getFreshAccessToken(user.id, "google")));
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(demoIdp().counters.tokenRequests).toBe(before + 1);
    // Only the caller whose call reached the provider says it refreshed (seen red, all 20 saying so, before
    // getFreshAccessToken marked joiners refreshed: false; the refresh storm's report then counted 17 refreshes for 16).
    expect(results.filter((r) => r.refreshed)).toHaveLength(1);
  });

  it("a lease left by a crashed holder expires; a live one is waited on and its token returned", async () => {
    const { user } = await connectedUser("google", { expired: true });
    const db = getDb();
    // Crashed: the lease ran out a second ago. The next caller takes over and refreshes.
    await db.providerConnection.updateMany({ where: { userId: user.id }, data: { refreshLeaseId: "crashed", refreshingUntil: new Date(Date.now() - 1000) } });
    const taken = await getFreshAccessToken(user.id, "google");
    expect(taken.refreshed).toBe(true);

    // Live: someone else holds the lease; the caller waits, then returns what that holder stores.
    await db.providerConnection.updateMany({
      where: { userId: user.id },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1000), refreshLeaseId: "other", refreshingUntil: new Date(Date.now() + 10_000) },
    });
    const before = demoIdp().counters.tokenRequests;
    const waiting = getFreshAccessToken(user.id, "google");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await storeSignInTokens(user.id, "google", { accessToken: "stored-by-the-lease-holder", expiresAt: new Date(Date.now() + 600_000) });
    expect(await waiting).toMatchObject({ accessToken: "stored-by-the-lease-holder", refreshed: false });
    expect(demoIdp().counters.tokenRequests).toBe(before);
  });

  it("an unexpected error under the lease (undecryptable refresh token) frees the lease at once", async () => {
    const { user } = await connectedUser("google", { expired: true });
    const db = getDb();
    const access = await db.providerToken.findFirstOrThrow({ where: { userId: user.id, name: "access_token" } });
    await db.providerToken.updateMany({ where: { userId: user.id, name: "refresh_token" }, data: { ciphertext: access.ciphertext } });
    await expect(getFreshAccessToken(user.id, "google")).rejects.toThrow(/could not decrypt/);
    expect(await db.providerConnection.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({ refreshLeaseId: null, refreshingUntil: null });
  });

  it("backs off after a failure: no provider call and no audit row until then; 429 Retry-After is respected; success resets", async () => {
    const { user } = await connectedUser("google", { expired: true });
    const db = getDb();
    const failures = () => db.auditEvent.count({ where: { subjectUserId: user.id, action: "provider_token.refresh_failed" } });
    demoIdp().faults.tokenStatus = 503;
    const requests = demoIdp().counters.tokenRequests;
    const first = await getFreshAccessToken(user.id, "google").catch((error: unknown) => error);
    expect(first).toBeInstanceOf(RefreshUnavailableError);
    expect((first as RefreshUnavailableError).retryAfterSeconds).toBe(5);
    expect(demoIdp().counters.tokenRequests).toBe(requests + 1);
    expect(await failures()).toBe(1);

    const started = performance.now();
    const during = await getFreshAccessToken(user.id, "google").catch((error: unknown) => error);
    // Protects "answer at once during a back-off": a caller that waited the back-off out would take its 5 s;
    // half of that separates waiting from a slow machine (the provider-call count below guards the rest).
    expect(performance.now() - started).toBeLessThan(((first as RefreshUnavailableError).retryAfterSeconds * 1000) / 2);
    expect(during).toBeInstanceOf(RefreshUnavailableError);
    expect((during as RefreshUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    expect(demoIdp().counters.tokenRequests).toBe(requests + 1);
    expect(await failures()).toBe(1);

    // The token exchange (what services call) says when to come back.
    const service = await createServiceClient(
      { name: `backoff-${Math.random()}`, permissions: ["credentials:google:read"] },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const handout = await callRoute(oauthTokenRoute, {
      method: "POST",
      path: "/api/oauth/token",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: user.id,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        audience: "google",
      }).toString(),
    });
    expect(handout.status).toBe(503);
    expect(handout.json().error).toBe("temporarily_unavailable");
    expect(Number(handout.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(handout.headers.get("retry-after"))).toBeLessThanOrEqual(5);
    expect(demoIdp().counters.tokenRequests).toBe(requests + 1);

    // The backoff ran out; the provider now says 429, come back in 2 minutes.
    await db.providerConnection.updateMany({ where: { userId: user.id }, data: { nextRefreshAt: new Date(Date.now() - 1) } });
    Object.assign(demoIdp().faults, { tokenStatus: 429, tokenRetryAfter: "120" });
    const limited = await getFreshAccessToken(user.id, "google").catch((error: unknown) => error);
    expect((limited as RefreshUnavailableError).retryAfterSeconds).toBe(120);
    const row = await db.providerConnection.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.refreshFailures).toBe(2);
    expect(row.nextRefreshAt!.getTime() - Date.now()).toBeGreaterThan(110_000);

    // Recovered: the next allowed attempt refreshes and clears the backoff.
    Object.assign(demoIdp().faults, { tokenStatus: null, tokenRetryAfter: null });
    await db.providerConnection.updateMany({ where: { userId: user.id }, data: { nextRefreshAt: new Date(Date.now() - 1) } });
    expect((await getFreshAccessToken(user.id, "google")).refreshed).toBe(true);
    expect(await db.providerConnection.findFirstOrThrow({ where: { userId: user.id } })).toMatchObject({
      refreshFailures: 0,
      nextRefreshAt: null,
      lastRefreshError: null,
    });
  });

  it("client errors (invalid_client, unauthorized_client) keep every user's tokens, flag the provider on the overview, and log once per provider", async () => {
    const users = await Promise.all(Array.from({ length: 3 }, () => connectedUser("github", { expired: true })));
    const google = await connectedUser("google", { expired: true });
    const errorLog = vi.spyOn(logger, "error");
    const warnLog = vi.spyOn(logger, "warn");
    // Tessera's client secret is wrong: the demo IdP answers 401 invalid_client.
    process.env.DEMO_IDP_CLIENT_SECRET = "not-the-demo-idp-secret";
    const outcomes = await Promise.all(users.map(({ user }) => getFreshAccessToken(user.id, "github").catch((error: unknown) => error)));
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(RefreshUnavailableError);
      expect((outcome as RefreshUnavailableError).reason).toMatch(/rejected Tessera's client/);
    }
    for (const { user, tokens } of users) {
      expect(await getToken(user.id, "github", "refresh_token")).toBe(tokens.refresh_token);
      expect((await listConnections(user.id)).find((c) => c.provider === "github")!.status).toBe("api_access");
    }
    const logged = errorLog.mock.calls.filter((call) => call[1] === CLIENT_ERROR_STATE);
    expect(logged).toHaveLength(1);
    expect(logged[0]![0]).toMatchObject({ provider: "github" });
    expect(warnLog.mock.calls.filter((call) => String(call[1]).includes("refresh unavailable"))).toHaveLength(0);
    expect((await getOverview()).providerHealth).toEqual([expect.objectContaining({ provider: "github", state: CLIENT_ERROR_STATE })]);

    // unauthorized_client (grant type switched off for Tessera's client) is not a dead grant either.
    Object.assign(demoIdp().faults, { tokenStatus: 400, tokenError: "unauthorized_client" });
    const other = await getFreshAccessToken(google.user.id, "google").catch((error: unknown) => error);
    expect(other).toBeInstanceOf(RefreshUnavailableError);
    expect(await getToken(google.user.id, "google", "refresh_token")).toBe(google.tokens.refresh_token);
    expect((await listConnections(google.user.id)).find((c) => c.provider === "google")!.status).toBe("api_access");
    expect((await getOverview()).providerHealth.map((h) => h.provider)).toEqual(["github", "google"]);
    Object.assign(demoIdp().faults, { tokenStatus: null, tokenError: null });

    // Fixed: a refresh works again and the provider's state clears.
    process.env.DEMO_IDP_CLIENT_SECRET = SECRET;
    await getDb().providerConnection.updateMany({ where: { userId: users[0]!.user.id }, data: { nextRefreshAt: null } });
    expect((await getFreshAccessToken(users[0]!.user.id, "github")).refreshed).toBe(true);
    expect((await getOverview()).providerHealth.map((h) => h.provider)).toEqual(["google"]);
  });

  it("a dead grant (invalid_grant) marks the connection, keeps no tokens, and reconnecting restores it", async () => {
    const { user, tokens } = await connectedUser("github", { expired: true });
    await revokeTokenAtIdp(demoIdp().issuer, DEMO_CLIENT_IDS.github, SECRET, tokens.refresh_token!);
    const failure = await getFreshAccessToken(user.id, "github").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReconnectRequiredError);
    expect((failure as ReconnectRequiredError).code).toBe("reconnect_required");
    expect(await getDb().providerToken.count({ where: { userId: user.id, provider: "github" } })).toBe(0);
    const view = (await listConnections(user.id)).find((c) => c.provider === "github")!;
    expect(view.status).toBe("needs_reconnect");
    expect(view.reconnectReason).toMatch(/invalid_grant/);
    await expect(getFreshAccessToken(user.id, "github")).rejects.toBeInstanceOf(ReconnectRequiredError);
    const actions = (await getDb().auditEvent.findMany({ where: { subjectUserId: user.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["provider_token.refresh_failed", "connection.reconnect_required"]));

    // Reconnect = a new sign-in with consent.
    const fresh = await obtainTokensByCodeFlow({
      issuer: demoIdp().issuer,
      clientId: DEMO_CLIENT_IDS.github,
      clientSecret: SECRET,
      redirectUri: `${APP}/api/auth/callback/github`,
      login: user.email!.split("@")[0]!,
      scope: "read:user repo",
    });
    await storeSignInTokens(user.id, "github", {
      accessToken: fresh.access_token,
      refreshToken: fresh.refresh_token,
      expiresAt: new Date(Date.now() + 600_000),
    });
    expect((await listConnections(user.id)).find((c) => c.provider === "github")!.status).toBe("api_access");
  });

  it("keeps the tokens and reports a retryable error when the provider is unreachable", async () => {
    const { user, tokens } = await connectedUser("google", { expired: true });
    process.env.DEMO_IDP_ISSUER = "http://127.0.0.1:9";
    try {
      const failure = await getFreshAccessToken(user.id, "google").catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RefreshUnavailableError);
      expect((failure as RefreshUnavailableError).retryable).toBe(true);
    } finally {
      process.env.DEMO_IDP_ISSUER = demoIdp().issuer;
    }
    expect(await getToken(user.id, "google", "refresh_token")).toBe(tokens.refresh_token);
    expect((await listConnections(user.id)).find((c) => c.provider === "google")!.status).toBe("api_access");
  });

  it("never overwrites a stored refresh token with nothing on a later sign-in", async () => {
    const { user, tokens } = await connectedUser("google");
    await storeSignInTokens(user.id, "google", { accessToken: "new-access-from-repeat-consent", refreshToken: null });
    expect(await getToken(user.id, "google", "refresh_token")).toBe(tokens.refresh_token);
    expect(await getToken(user.id, "google", "access_token")).toBe("new-access-from-repeat-consent");
  });
});
