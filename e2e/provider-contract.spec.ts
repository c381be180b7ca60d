import { expect, test, type Page } from "@playwright/test";
import { completeIdpLogin, createServiceClientAsAdmin, IDP_ISSUER, readStoredToken, signIn, withAppDatabase } from "./support/app";
import { recordTestTokens } from "./support/issued-tokens";
import { OPERATOR_PROVIDER } from "./support/operator-providers";

/*
 * Issue 23's generic contract, run for every catalogue entry the demo IdP plays (slack, atlassian) and for one that
 * exists only in the operator's TESSERA_PROVIDERS_FILE (written by playwright.config.ts, no TypeScript): connect in
 * Chromium → token exchange → a forced refresh that 50 concurrent callers share → a proxied call → more scopes through
 * the connect_uri the exchange answers → disconnect, revoked at the provider where the entry names an endpoint.
 * Each case reads its facts from the entry's shape, never from a provider-specific branch in Tessera.
 */
type Case = {
  id: string;
  label: string;
  /** A call of the demo API that needs `extraScope` (any token may call GET /me). */
  scopedMethod: "GET" | "POST";
  scopedPath: string;
  extraScope: string;
  revocable: boolean;
};

const CASES: Case[] = [
  { id: "slack", label: "Slack", scopedMethod: "GET", scopedPath: "/conversations.list", extraScope: "channels:read", revocable: true },
  {
    id: "atlassian",
    label: "Atlassian (Jira, Confluence)",
    scopedMethod: "GET",
    scopedPath: "/rest/api/3/project",
    extraScope: "read:jira-work",
    revocable: false,
  },
  { id: OPERATOR_PROVIDER.id, label: OPERATOR_PROVIDER.displayName, scopedMethod: "POST", scopedPath: "/items", extraScope: "write", revocable: true },
];

async function userIdOf(email: string): Promise<string> {
  return withAppDatabase(async (db) => (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email])).rows[0]!.id);
}

async function connectFromCard(page: Page, provider: Case, login: string) {
  await page.goto("/settings/connections");
  const card = page.getByTestId(`connection-${provider.id}`);
  await card.getByRole("button", { name: `Connect ${provider.label}` }).click();
  await completeIdpLogin(page, login);
  await page.waitForURL("**/settings/connections?notice=connected**");
  await expect(page.getByTestId("notice")).toContainText(`${provider.label} is connected`);
  await expect(card.getByTestId("connection-status")).toHaveText("Connected with API access");
}

for (const provider of CASES) {
  test(`contract: ${provider.id} — connect, exchange, one refresh for 50 callers, proxy, more scopes, disconnect`, async ({ page, request, baseURL }) => {
    const login = `contract-${provider.id}`;
    const email = `${login}@example.com`;
    await signIn(page, "google", login);
    const userId = await userIdOf(email);

    // 1. Connect in the browser, through Tessera's own OAuth client.
    await connectFromCard(page, provider, login);
    const firstAccess = (await readStoredToken(email, provider.id as never, "access_token"))!;
    expect(firstAccess, "an access token is stored (encrypted)").toBeTruthy();
    expect(await page.content(), "no token value on the page").not.toContain(firstAccess);

    // 2. A service exchanges for it.
    const service = await createServiceClientAsAdmin(
      request,
      baseURL!,
      [`credentials:${provider.id}:read`, `proxy:${provider.id}`],
      // The second entry names the scope its calls need: the proxy refuses them itself until the person grants it.
      [`GET ${provider.id}:/me`, `${provider.scopedMethod} ${provider.id}:${provider.scopedPath} scope=${provider.extraScope}`],
    );
    const first = await service.exchange(userId, provider.id);
    expect(first.status()).toBe(200);
    expect((await first.json()).access_token).toBe(firstAccess);

    // 3. Forced refresh: the access token expired; 50 callers at once get one new token from one refresh.
    await withAppDatabase((db) =>
      db.query(`UPDATE "ProviderConnection" SET "accessTokenExpiresAt" = now() - interval '1 minute' WHERE "userId" = $1 AND provider = $2`, [
        userId,
        provider.id,
      ]),
    );
    const answers = await Promise.all(Array.from({ length: 50 }, () => service.exchange(userId, provider.id)));
    expect(answers.map((answer) => answer.status())).toEqual(Array(50).fill(200));
    const tokens = new Set(await Promise.all(answers.map(async (answer) => (await answer.json()).access_token as string)));
    expect(tokens.size, "every caller got the same token").toBe(1);
    const refreshed = [...tokens][0]!;
    expect(refreshed).not.toBe(firstAccess);
    const refreshes = await withAppDatabase(
      async (db) =>
        (
          await db.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'provider_token.refreshed' AND "subjectUserId" = $1 AND provider = $2`, [
            userId,
            provider.id,
          ])
        ).rows[0].n,
    );
    expect(refreshes, "one refresh at the provider").toBe(1);

    // 4. A proxied call: the provider answers for the person, with no token in the answer.
    const grant = await request.post("/api/oauth/token", {
      headers: { authorization: `Basic ${Buffer.from(`${service.clientId}:${service.clientSecret}`).toString("base64")}` },
      form: { grant_type: "client_credentials" },
    });
    const serviceToken = (await grant.json()).access_token as string;
    recordTestTokens(serviceToken);
    const proxied = (path: string, method = "GET") =>
      request.fetch(`/api/proxy/${provider.id}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${serviceToken}`,
          "tessera-on-behalf-of": userId,
          ...(method === "POST" ? { "content-type": "application/json" } : {}),
        },
        ...(method === "POST" ? { data: JSON.stringify({ name: "contract" }) } : {}),
      });
    const me = await proxied("/me");
    expect(me.status()).toBe(200);
    expect(await me.text()).not.toContain(refreshed);
    const notYet = await proxied(provider.scopedPath, provider.scopedMethod);
    expect(notYet.status(), "the scope was not granted yet").toBe(403);
    expect(notYet.headers()["tessera-proxy-error"], "refused by Tessera, before the provider").toBe("insufficient_scope");
    const proxyLink = notYet.headers()["tessera-connect-uri"];
    expect(proxyLink).toMatch(/\/connect\/[A-Za-z0-9]+$/);

    // 5. More scopes when a service needs them: insufficient_scope with a connect_uri only this person can follow.
    const needMore = await request.post("/api/oauth/token", {
      headers: { authorization: `Basic ${Buffer.from(`${service.clientId}:${service.clientSecret}`).toString("base64")}` },
      form: {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: userId,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        requested_token_type: "urn:tessera:params:oauth:token-type:provider-access-token",
        audience: provider.id,
        scope: provider.extraScope,
      },
    });
    expect(needMore.status()).toBe(403);
    const refusal = await needMore.json();
    expect(refusal).toMatchObject({ error: "insufficient_scope", scope: provider.extraScope });
    // The same service asking for the same scope, by proxy or by exchange, gets one link (and the person one notice).
    expect(refusal.connect_uri).toBe(proxyLink);
    await page.goto(new URL(refusal.connect_uri).pathname);
    await expect(page.getByRole("heading", { name: `Connect ${provider.label}` })).toBeVisible();
    await expect(page.getByText(provider.extraScope, { exact: true })).toBeVisible();
    await page.getByRole("button", { name: `Continue to ${provider.label}` }).click();
    await completeIdpLogin(page, login);
    await page.waitForURL("**/settings/connections?notice=connected**");
    await expect(page.getByTestId(`connection-${provider.id}`).getByTestId("connection-scopes")).toContainText(provider.extraScope);
    expect((await proxied(provider.scopedPath, provider.scopedMethod)).status(), "the new scope works").toBeLessThan(300);
    const widened = await service.exchange(userId, provider.id);
    expect((await widened.json()).scope).toContain(provider.extraScope);
    const lastAccess = (await readStoredToken(email, provider.id as never, "access_token"))!;

    // 6. Disconnect: revoked at the provider where the entry names an endpoint, else deleted and said so.
    await page.goto("/settings/connections");
    const card = page.getByTestId(`connection-${provider.id}`);
    await card.getByRole("button", { name: "Disconnect API access" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
    await expect(page.getByTestId("notice")).toContainText(provider.revocable ? "the grant was revoked" : "could not be revoked");
    await expect(card.getByTestId("connection-status")).toHaveText("Not connected");
    const after = await fetch(`${IDP_ISSUER}/demo-api/${provider.id}/me`, { headers: { authorization: `Bearer ${lastAccess}` } });
    expect(after.status, provider.revocable ? "the provider no longer honours the token" : "no revocation endpoint: the token lives until it expires").toBe(
      provider.revocable ? 401 : 200,
    );
    expect((await service.exchange(userId, provider.id)).status()).toBe(400);
  });
}
