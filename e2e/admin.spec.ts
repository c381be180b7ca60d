import { expect, test } from "@playwright/test";
import { completeIdpLogin, connectionCard, expectBadge, introspect, plantUser, readStoredToken, signIn, withAppDatabase } from "./support/app";

test("an admin finds a user, sees their stored tokens, revokes all, and the user is signed out", async ({ browser }) => {
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, "google", "carol");
  await connectionCard(userPage, "github")
    .getByRole("button", { name: /^Link / })
    .click();
  await completeIdpLogin(userPage, "carol");
  await userPage.waitForURL("**/settings/connections**");

  // Not an admin: /admin does not exist for carol.
  const forbidden = await userPage.goto("/admin");
  expect(forbidden?.status()).toBe(404);

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "google", "admin");
  await adminPage.goto("/admin");
  await expect(adminPage.getByTestId("stat-users")).toBeVisible();
  // The provider health panel is part of the overview (figures: tests/integration/provider-health.test.ts).
  await expect(adminPage.getByRole("heading", { name: "Provider health" }).or(adminPage.getByText("Provider health", { exact: true }))).toBeVisible();
  await adminPage.getByRole("link", { name: "Users", exact: true }).click();
  await adminPage.getByLabel("Search by email or name").fill("carol@");
  await adminPage.getByRole("button", { name: "Search" }).click();
  await adminPage.getByRole("link", { name: "carol@example.com" }).click();
  await adminPage.waitForURL(/\/admin\/users\/[^/?]+$/);

  await expect(adminPage.getByTestId("stored-provider-tokens")).toContainText(/Stored provider tokens: Google \(\d\), GitHub \(\d\)/);
  await adminPage.getByTestId("stored-provider-tokens").locator("summary").click();
  await expect(adminPage.getByTestId("stored-provider-tokens")).toContainText("access_token");

  // Hidden buttons are not security: carol replays the admin's "Revoke all" form (its server action)
  // against her own account and gets a 404; nothing is revoked.
  // The server-rendered form carries the action's id (React drops the field once it hydrates).
  const html = await (await adminPage.request.get(adminPage.url())).text();
  const revokeForm = html.split("<form").find((chunk) => chunk.includes("Revoke everything"));
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(revokeForm ?? "")?.[1];
  const userId = /name="userId" value="([^"]+)"/.exec(revokeForm ?? "")?.[1];
  expect(actionField).toBeTruthy();
  const replay = await userPage.request.post(`/admin/users/${userId}`, { multipart: { [actionField!]: "", userId: userId! } });
  expect(replay.status()).toBe(404);
  await adminPage.reload();
  await expect(adminPage.getByTestId("stored-provider-tokens")).toContainText(/Google \(\d\), GitHub \(\d\)/);

  await adminPage.getByRole("button", { name: "Revoke all" }).click();
  await adminPage.getByRole("dialog").getByRole("button", { name: "Revoke everything" }).click();
  await expect(adminPage.getByTestId("revoke-all-report")).toContainText("revoked at the provider");
  await expect(adminPage.getByTestId("stored-provider-tokens")).toContainText("Stored provider tokens: none");
  await expect(adminPage.getByTestId("active-sessions")).toHaveText("0");

  await userPage.goto("/settings/connections");
  await expect(userPage).toHaveURL(/\/signin/);

  await adminPage.goto("/admin/audit?action=admin.revoke_all");
  await expect(adminPage.getByTestId("audit-row").first()).toContainText("All credentials revoked by an admin");
  // Control for the replay above: the same request from the admin does reach the action.
  const asAdmin = await adminPage.request.post(`/admin/users/${userId}`, { multipart: { [actionField!]: "", userId: userId! }, maxRedirects: 0 });
  expect([200, 303]).toContain(asAdmin.status());
  await userContext.close();
  await adminContext.close();
});

test("a provider revocation revoke-all could not finish: the user sees it, the admin retries or deletes without it", async ({ browser }) => {
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, "google", "dave");
  const accessToken = await readStoredToken("dave@example.com", "google", "access_token");
  expect(accessToken).toBeTruthy();
  const planted = await plantUser("pending");
  // What revoke-all leaves when the provider cannot be reached (integration tests cause it for real).
  await withAppDatabase((client) =>
    client.query(
      `UPDATE "ProviderConnection" c SET status = 'REVOCATION_FAILED', "revocationPendingAt" = now(), "revocationAttempts" = 3, "revocationError" = 'provider answered 503'
       FROM "User" u WHERE u.id = c."userId" AND (u.email = 'dave@example.com' AND c.provider = 'google' OR u.id = $1)`,
      [planted.userId],
    ),
  );
  await userPage.reload();
  await expectBadge(userPage, "google", "Revocation failed");
  await expect(connectionCard(userPage, "google").getByTestId("connection-revocation")).toContainText("no longer uses these tokens");

  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "google", "admin");
  const daveId = await withAppDatabase(async (client) => (await client.query(`SELECT id FROM "User" WHERE email = 'dave@example.com'`)).rows[0].id as string);
  await adminPage.goto(`/admin/users/${daveId}`);
  await expect(adminPage.getByTestId("pending-revocation-google")).toContainText("last error: provider answered 503");
  expect(await introspect("google", accessToken!)).toBe(true);
  await adminPage.getByRole("button", { name: "Retry Google revocation" }).click();
  await adminPage.getByRole("dialog").getByRole("button", { name: "Retry", exact: true }).click();
  await expect(adminPage.getByText("Google confirmed the revocation")).toBeVisible();
  await expect(adminPage.getByTestId("pending-revocations")).toHaveCount(0);
  expect(await introspect("google", accessToken!)).toBe(false);

  // Giving up on the provider is possible too, behind its own confirmation.
  await adminPage.goto(`/admin/users/${planted.userId}`);
  await adminPage.getByTestId("pending-revocation-github").getByRole("button", { name: "Delete without provider revocation" }).click();
  await adminPage.getByRole("dialog").getByRole("button", { name: "Delete without revocation" }).click();
  await expect(adminPage.getByText("tokens deleted without provider revocation")).toBeVisible();
  await expect(adminPage.getByTestId("pending-revocation-github")).toHaveCount(0);
  await expect(adminPage.getByTestId("pending-revocation-google")).toBeVisible();
  await userContext.close();
  await adminContext.close();
});
