import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { hashSessionToken } from "../../lib/auth/hash-session-token";
import { obtainTokensByCodeFlow } from "../../lib/idp/testing/obtain-tokens-by-code-flow";
import { parseKeyring } from "../../lib/crypto";
import { openToken, sealToken } from "../../lib/provider-tokens/token-cipher";
import { DEMO_CLIENT_IDS, type ProviderId } from "../../lib/providers/catalog";
import { recordTestTokens } from "./issued-tokens";

const DATA_DIR = path.resolve(".data/e2e");
export const IDP_ISSUER = `http://127.0.0.1:${process.env.E2E_IDP_PORT ?? "3101"}`;
export const IDP_SECRET = "e2e-demo-client-secret";

export const PROVIDER_LABELS: Record<ProviderId, string> = { google: "Google", "microsoft-entra-id": "Microsoft", github: "GitHub" };

/** Completes the demo IdP's login (and consent) pages as a person would: the user's one-click choice, else the free-text login. */
export async function completeIdpLogin(page: Page, login: string) {
  await page.waitForURL((url) => url.href.startsWith(IDP_ISSUER));
  const loginField = page.getByLabel("Or sign in as another name");
  if (await loginField.isVisible().catch(() => false)) {
    const choice = page.getByRole("button", { name: new RegExp(`^${login} `) });
    if (await choice.count()) await choice.first().click();
    else {
      await loginField.fill(login);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }
  }
  // The consent page may still be loading: wait for it or for the way back to Tessera, whichever comes first
  // (isVisible() does not wait, so checking it once raced the page and sometimes left the browser on consent).
  const consent = page.getByRole("button", { name: "Continue", exact: true });
  const next = await Promise.race([
    consent.waitFor({ state: "visible", timeout: 15_000 }).then(
      () => "consent" as const,
      () => null,
    ),
    page
      .waitForURL((url) => !url.href.startsWith(IDP_ISSUER), { timeout: 15_000 })
      .then(
        () => "left" as const,
        () => null,
      ),
  ]);
  if (next === "consent") await consent.click();
}

export async function signIn(page: Page, provider: ProviderId, login: string) {
  await page.goto("/signin?callbackUrl=/settings/connections");
  await page.getByRole("button", { name: `Continue with ${PROVIDER_LABELS[provider]}` }).click();
  await completeIdpLogin(page, login);
  await page.waitForURL("**/settings/connections**");
}

export function connectionCard(page: Page, provider: ProviderId) {
  return page.getByTestId(`connection-${provider}`);
}

export async function expectBadge(page: Page, provider: ProviderId, text: string) {
  await expect(connectionCard(page, provider).getByTestId("connection-status")).toHaveText(text);
}

/** The running app's embedded database, as an operator with the data directory would reach it. */
export async function withAppDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = readFileSync(path.join(DATA_DIR, "embedded-database.url"), "utf8").trim();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Reads a stored provider token the way the app does (tests check what was stored and revoked). */
export async function readStoredToken(email: string, provider: ProviderId, name: string): Promise<string | null> {
  const secrets = JSON.parse(readFileSync(path.join(DATA_DIR, "secrets.json"), "utf8"));
  const row = await withAppDatabase(async (client) => {
    const result = await client.query(
      `SELECT t."userId", t.ciphertext FROM "ProviderToken" t JOIN "User" u ON u.id = t."userId" WHERE u.email = $1 AND t.provider = $2 AND t.name = $3`,
      [email, provider, name],
    );
    return result.rows[0] as { userId: string; ciphertext: string } | undefined;
  });
  if (!row) return null;
  return openToken({ userId: row.userId, provider, name, ciphertext: row.ciphertext }, parseKeyring(secrets.TOKEN_ENCRYPTION_KEYS));
}

export async function introspect(provider: ProviderId, token: string): Promise<boolean> {
  const response = await fetch(`${IDP_ISSUER}/token/introspection`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${DEMO_CLIENT_IDS[provider]}:${IDP_SECRET}`).toString("base64")}`,
    },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()).active === true;
}

function appKeyring() {
  const secrets = JSON.parse(readFileSync(path.join(DATA_DIR, "secrets.json"), "utf8"));
  return parseKeyring(secrets.TOKEN_ENCRYPTION_KEYS);
}

/** Every provider token the app holds, decrypted (for leak checks). */
export async function allStoredTokenValues(): Promise<string[]> {
  const keyring = appKeyring();
  const rows = await withAppDatabase(async (client) => (await client.query(`SELECT "userId", provider, name, ciphertext FROM "ProviderToken"`)).rows);
  return rows.map((row: { userId: string; provider: string; name: string; ciphertext: string }) => openToken(row, keyring));
}

/** Provider tokens to store for a planted user, by token name (access_token, refresh_token, id_token). */
export type PlantedTokens = Partial<Record<"access_token" | "refresh_token" | "id_token", string>>;

/**
 * A user with a session and provider tokens of known value, written straight into the database
 * the way the app writes them (encrypted under its keyring). By default Google and GitHub hold made-up
 * values; `providers` replaces that with given tokens (e.g. real demo-IdP tokens), and `expired`
 * stores them already expired so the next handout refreshes at the IdP. Every value is recorded for
 * the log scan.
 */
export async function plantUser(
  label: string,
  role: "USER" | "ADMIN" = "USER",
  options: { providers?: Partial<Record<ProviderId, PlantedTokens>>; expired?: boolean } = {},
) {
  const suffix = `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const userId = `usr_${suffix}`;
  const email = `${suffix}@example.com`;
  const sessionToken = `sess_${suffix}_${Math.random().toString(36).slice(2)}`;
  // A random tail of their own: no identifier (user id, email) shares a value's last 12 characters.
  const tail = () => randomBytes(9).toString("base64url");
  const values = {
    access: `PLANTED-ACCESS-${suffix}-${tail()}`,
    refresh: `PLANTED-REFRESH-${suffix}-${tail()}`,
    id: `PLANTED-IDTOKEN-${suffix}-${tail()}`,
    github: `PLANTED-GITHUB-${suffix}-${tail()}`,
  };
  const providers: Partial<Record<ProviderId, PlantedTokens>> = options.providers ?? {
    google: { access_token: values.access, refresh_token: values.refresh, id_token: values.id },
    github: { access_token: values.github },
  };
  const stored = Object.values(providers).flatMap((tokens) => Object.values(tokens ?? {}));
  recordTestTokens(...Object.values(values), ...stored);
  const keyring = appKeyring();
  const seal = (provider: string, name: string, value: string) => sealToken(userId, provider, name, value, keyring).ciphertext;
  await withAppDatabase(async (client) => {
    await client.query(`INSERT INTO "User" (id, email, name, role, "updatedAt") VALUES ($1, $2, $3, $4, now())`, [userId, email, label, role]);
    await client.query(`INSERT INTO "Session" (id, "sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now() + interval '1 day', now())`, [
      `s_${suffix}`,
      hashSessionToken(sessionToken),
      userId,
    ]);
    for (const [provider, tokens] of Object.entries(providers)) {
      const connectionId = `c_${provider}_${suffix}`;
      await client.query(`INSERT INTO "Account" (id, "userId", type, provider, "providerAccountId", "updatedAt") VALUES ($1, $2, 'oidc', $3, $4, now())`, [
        `a_${provider}_${suffix}`,
        userId,
        provider,
        `sub-${suffix}`,
      ]);
      await client.query(
        `INSERT INTO "ProviderConnection" (id, "userId", provider, scopes, "accessTokenExpiresAt", "updatedAt") VALUES ($1, $2, $3, $4, now() + $5::interval, now())`,
        [connectionId, userId, provider, ["openid", "email"], options.expired ? "-1 minute" : "1 hour"],
      );
      for (const [name, value] of Object.entries(tokens ?? {})) {
        const ciphertext = seal(provider, name, value);
        await client.query(
          `INSERT INTO "ProviderToken" (id, "connectionId", "userId", provider, name, ciphertext, "keyId", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
          [`t_${provider}_${name}_${suffix}`, connectionId, userId, provider, name, ciphertext, keyring.active.kid],
        );
      }
    }
  });
  return { userId, email, sessionToken, cookie: `authjs.session-token=${sessionToken}`, values, stored };
}

/**
 * Real tokens from the e2e demo IdP for `provider`'s demo client, by a code flow (no browser) whose
 * code is never sent to the app: the app learns them only when a test plants them.
 */
export async function obtainDemoTokens(provider: ProviderId, login: string, baseURL: string): Promise<PlantedTokens & { access_token: string }> {
  const tokens = await obtainTokensByCodeFlow({
    issuer: IDP_ISSUER,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: IDP_SECRET,
    redirectUri: `${baseURL}/api/auth/callback/${provider}`,
    login,
  });
  expect(tokens.refresh_token, "the demo IdP issues refresh tokens").toBeTruthy();
  return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: tokens.id_token };
}

/**
 * A service client created the way an admin does (the admin API, same-origin session): what background
 * jobs use to obtain users' access tokens through the token exchange.
 */
export async function createServiceClientAsAdmin(request: APIRequestContext, baseURL: string, permissions: string[], proxyAllow?: string[]) {
  const admin = await plantUser("svc-admin", "ADMIN");
  const response = await request.post("/api/admin/services", {
    headers: { cookie: admin.cookie, origin: baseURL, "sec-fetch-site": "same-origin" },
    data: { name: `e2e-service-${Math.random().toString(36).slice(2)}`, permissions, ...(proxyAllow ? { proxyAllow } : {}) },
  });
  if (response.status() !== 201) throw new Error(`creating a service client: HTTP ${response.status()} ${await response.text()}`);
  const { clientId, clientSecret } = (await response.json()) as { clientId: string; clientSecret: string };
  // A client secret is a credential like a PAT: the log scan searches the app log for it.
  recordTestTokens(clientSecret);
  const basic = (secret = clientSecret) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  /** RFC 8693 exchange for the user's access token at `provider`. */
  const exchange = (userId: string, provider: string, secret?: string) =>
    request.post("/api/oauth/token", {
      headers: { authorization: basic(secret) },
      form: {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: userId,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        requested_token_type: "urn:tessera:params:oauth:token-type:provider-access-token",
        audience: provider,
      },
    });
  return { clientId, clientSecret, exchange };
}
