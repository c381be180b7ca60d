import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { generateKeyringEntry } from "@/lib/crypto";
import { listConnections } from "@/lib/connections/list-connections";
import { getDb } from "@/lib/db/client";
import { introspectToken, obtainTokensByCodeFlow, revokeTokenAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { ReconnectRequiredError, RefreshUnavailableError } from "@/lib/provider-tokens/errors";
import { getFreshAccessToken, getToken, listTokenNames, removeTokens, setToken, storeSignInTokens } from "@/lib/provider-tokens/provider-token-store";
import { rotateTokenKeys } from "@/lib/provider-tokens/rotate-token-keys";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { createUser } from "../helpers/fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { describeOnEachDatabase } from "../helpers/test-database";

const APP = TEST_APP_URL;
const SECRET = TEST_IDP_SECRET;
const demoIdp = startDemoIdpForFile();
const originalKeys = process.env.TOKEN_ENCRYPTION_KEYS!;
afterEach(() => {
  process.env.TOKEN_ENCRYPTION_KEYS = originalKeys;
});

/** A user signed in at the demo IdP with real tokens, stored as events.signIn stores them. */
async function connectedUser(provider: "google" | "microsoft-entra-id" | "github" = "google", options: { expired?: boolean } = {}) {
  const user = await createUser();
  const login = user.email!.split("@")[0]!;
  const tokens = await obtainTokensByCodeFlow({
    issuer: demoIdp().issuer,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: SECRET,
    redirectUri: `${APP}/api/auth/callback/${provider}`,
    login,
    scope: provider === "github" ? "read:user repo" : "openid email profile offline_access",
  });
  await storeSignInTokens(user.id, provider, {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token,
    expiresAt: options.expired ? new Date(Date.now() - 1000) : new Date(Date.now() + tokens.expires_in * 1000),
    scopes: tokens.scope?.split(" "),
    tokenType: tokens.token_type,
  });
  return { user, tokens };
}

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
    // The ring keeps every older key (including the suite's own) until rotation is done.
    process.env.TOKEN_ENCRYPTION_KEYS = `${newEntry},${oldEntry},${originalKeys}`;
    expect(await getToken(user.id, "github", "access_token")).toBe("rotate-me");
    const report = await rotateTokenKeys();
    expect(report.reencrypted).toBeGreaterThanOrEqual(1);
    expect(report.failed).toBe(0);
    expect(await getDb().providerToken.count({ where: { keyId: { not: "newkey" } } })).toBe(0);
    process.env.TOKEN_ENCRYPTION_KEYS = newEntry;
    expect(await getToken(user.id, "github", "access_token")).toBe("rotate-me");
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

  it("50 concurrent callers in two processes cause exactly one refresh and get the same token", async () => {
    const { user } = await connectedUser("microsoft-entra-id", { expired: true });
    const clientId = DEMO_CLIENT_IDS["microsoft-entra-id"];
    const before = demoIdp().counters.refreshGrants[clientId]!;
    const startAt = Date.now() + 2500;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/helpers/fresh-token-worker.ts"], {
          env: { ...process.env, WORKER_DATABASE_URL: current().url, USER_ID: user.id, PROVIDER: "microsoft-entra-id", COUNT: "25", START_AT: String(startAt) },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk) => (out += chunk));
        child.stderr.on("data", (chunk) => (err += chunk));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker failed: ${err}`))));
      });
    const [first, second] = await Promise.all([run(), run()]);
    const all = [...first, ...second];
    expect(all).toHaveLength(50);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).not.toMatch(/^error:/);
    expect(demoIdp().counters.refreshGrants[clientId]).toBe(before + 1);
    expect(sha((await getToken(user.id, "microsoft-entra-id", "access_token"))!)).toBe(all[0]);
  }, 60_000);

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
    await storeSignInTokens(user.id, "github", { accessToken: fresh.access_token, refreshToken: fresh.refresh_token, expiresAt: new Date(Date.now() + 600_000) });
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
