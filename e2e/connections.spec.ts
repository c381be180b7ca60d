import { expect, test } from "@playwright/test";
import { connectionCard, expectBadge, introspect, readStoredToken, signIn, withAppDatabase, completeIdpLogin } from "./support/app";

test.describe.configure({ mode: "serial" });

test("signed-out visitors of private pages are sent to sign-in, which shows the demo banner", async ({ page }) => {
  await page.goto("/settings/connections");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Fconnections/);
  await expect(page.getByTestId("demo-banner")).toBeVisible();
  for (const label of ["Google", "Microsoft", "GitHub"]) await expect(page.getByRole("button", { name: `Continue with ${label}` })).toBeVisible();
});

test("sign in with each provider gives API access; linking more providers works", async ({ page }) => {
  await signIn(page, "google", "alice");
  await expectBadge(page, "google", "Connected with API access");
  await expectBadge(page, "github", "Not linked");
  await expect(connectionCard(page, "google").getByTestId("connection-scopes")).toContainText("calendar.readonly");
  // In words, not the protocol's field names (issue 25 §7).
  await expect(connectionCard(page, "google").getByTestId("connection-stored")).toHaveText(/^Access token, refresh token(, ID token)?$/);

  for (const provider of ["microsoft-entra-id", "github"] as const) {
    await connectionCard(page, provider)
      .getByRole("button", { name: /^Link / })
      .click();
    await completeIdpLogin(page, "alice");
    await page.waitForURL("**/settings/connections**");
    await expectBadge(page, provider, "Connected with API access");
  }
  await expect(connectionCard(page, "github").getByTestId("connection-scopes")).toContainText("repo");
});

test("signing in again stores the new tokens", async ({ page }) => {
  const before = await readStoredToken("alice@example.com", "google", "access_token");
  expect(before).toBeTruthy();
  await signIn(page, "google", "alice");
  const after = await readStoredToken("alice@example.com", "google", "access_token");
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  expect(await introspect("google", after!)).toBe(true);
});

test("disconnect API access: Linked, no token rows, revoked at the IdP", async ({ page }) => {
  await signIn(page, "google", "alice");
  const access = await readStoredToken("alice@example.com", "google", "access_token");
  expect(await introspect("google", access!)).toBe(true);

  const card = connectionCard(page, "google");
  await card.getByRole("button", { name: "Disconnect API access" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Disconnect API access to Google?");
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("status").filter({ hasText: "revoked at Google" })).toBeVisible();
  await expectBadge(page, "google", "Linked");

  const rows = await withAppDatabase(
    async (client) =>
      (
        await client.query(
          `SELECT count(*)::int AS n FROM "ProviderToken" t JOIN "User" u ON u.id = t."userId" WHERE u.email = 'alice@example.com' AND t.provider = 'google'`,
        )
      ).rows[0].n,
  );
  expect(rows).toBe(0);
  expect(await introspect("google", access!)).toBe(false);
  // The login link stays: other providers untouched.
  await expectBadge(page, "github", "Connected with API access");
});
