import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { parseKeyring, decryptField } from "../../lib/crypto";
import { DEMO_CLIENT_IDS, type ProviderId } from "../../lib/providers/catalog";

const DATA_DIR = path.resolve(".data/e2e");
export const IDP_ISSUER = `http://127.0.0.1:${process.env.E2E_IDP_PORT ?? "3101"}`;
export const IDP_SECRET = "e2e-demo-client-secret";

export const PROVIDER_LABELS: Record<ProviderId, string> = { google: "Google", "microsoft-entra-id": "Microsoft", github: "GitHub" };

/** Completes the demo IdP's login (and consent) pages as a person would. */
export async function completeIdpLogin(page: Page, login: string) {
  await page.waitForURL((url) => url.href.startsWith(IDP_ISSUER));
  const loginField = page.locator('input[name="login"]');
  if (await loginField.isVisible().catch(() => false)) {
    await loginField.fill(login);
    await page.locator('input[name="password"]').fill("any-password");
    await page.getByRole("button", { name: "Sign-in" }).click();
  }
  const consent = page.getByRole("button", { name: "Continue" });
  if (await consent.isVisible({ timeout: 5_000 }).catch(() => false)) await consent.click();
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
  return decryptField(parseKeyring(secrets.TOKEN_ENCRYPTION_KEYS), row.ciphertext, { table: "ProviderToken", rowId: `${row.userId}:${provider}`, field: name });
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
