import { expect, request, test } from "@playwright/test";
import {
  completeIdpLogin,
  connectionCard,
  createServiceClientAsAdmin,
  expectBadge,
  IDP_ISSUER,
  IDP_SECRET,
  readStoredToken,
  signIn,
  withAppDatabase,
} from "./support/app";
import { spoiled } from "./support/issued-tokens";

test("a dead grant shows Needs reconnect; Reconnect restores API access", async ({ page, baseURL }) => {
  await signIn(page, "microsoft-entra-id", "dora");
  await expectBadge(page, "microsoft-entra-id", "Connected with API access");
  const userId = await withAppDatabase(async (client) => (await client.query(`SELECT id FROM "User" WHERE email = 'dora@example.com'`)).rows[0].id as string);

  // The user revokes Tessera at the provider; the access token then expires.
  const refresh = await readStoredToken("dora@example.com", "microsoft-entra-id", "refresh_token");
  await fetch(`${IDP_ISSUER}/token/revocation`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`tessera-demo-microsoft:${IDP_SECRET}`).toString("base64")}`,
    },
    body: new URLSearchParams({ token: refresh! }),
  });
  await withAppDatabase((client) =>
    client.query(`UPDATE "ProviderConnection" SET "accessTokenExpiresAt" = now() - interval '1 minute' WHERE "userId" = $1`, [userId]),
  );

  // A background job (a service client) asks for a fresh token and learns the user must reconnect.
  const api = await request.newContext({ baseURL });
  const service = await createServiceClientAsAdmin(api, baseURL!, ["credentials:microsoft-entra-id:read"]);
  const dead = await service.exchange(userId, "microsoft-entra-id");
  expect(dead.status()).toBe(400);
  expect(await dead.json()).toEqual({ error: "invalid_request", error_description: "needs_reconnect" });

  await page.reload();
  await expectBadge(page, "microsoft-entra-id", "Needs reconnect");
  await expect(connectionCard(page, "microsoft-entra-id")).toContainText("invalid_grant");

  await connectionCard(page, "microsoft-entra-id").getByRole("button", { name: "Reconnect" }).click();
  await completeIdpLogin(page, "dora");
  await page.waitForURL("**/settings/connections**");
  await expectBadge(page, "microsoft-entra-id", "Connected with API access");

  const fresh = await service.exchange(userId, "microsoft-entra-id");
  expect(fresh.status()).toBe(200);
  const body = await fresh.json();
  // Booleans: an assertion message never prints a token value.
  expect(body.access_token === (await readStoredToken("dora@example.com", "microsoft-entra-id", "access_token")), "the stored access token is handed out").toBe(
    true,
  );
  expect(JSON.stringify(body).includes((await readStoredToken("dora@example.com", "microsoft-entra-id", "refresh_token"))!), "the refresh token is not").toBe(
    false,
  );
  expect(body.refresh_token === undefined, "no refresh_token field").toBe(true);
  expect((await service.exchange(userId, "microsoft-entra-id", spoiled(service.clientSecret))).status()).toBe(401);
  await api.dispose();
});
