import { expect, test } from "@playwright/test";
import { deriveGithubUserId } from "../lib/idp/demo-users";
import { completeIdpLogin, PROVIDER_LABELS, signIn, withAppDatabase } from "./support/app";

test("a demo user with an unverified address (mallory, claiming admin@example.com) is refused with the reason and gets no account", async ({ page }) => {
  for (const provider of ["github", "google"] as const) {
    await page.goto("/signin?callbackUrl=/admin");
    await page.getByRole("button", { name: `Continue with ${PROVIDER_LABELS[provider]}` }).click();
    await completeIdpLogin(page, "mallory");
    await page.waitForURL(/\/signin\?error=EmailNotVerified/);
    await expect(page.getByRole("alert").filter({ hasText: "Sign-in refused" })).toContainText(
      `${PROVIDER_LABELS[provider]} did not confirm that your email address is verified`,
    );
    await expect(page.getByRole("alert").filter({ hasText: "Sign-in refused" })).toContainText("No Tessera account was created or linked");
  }
  // Still signed out: the admin area sends us to sign-in.
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin/);

  const rows = await withAppDatabase(async (client) => ({
    accounts: (
      await client.query(
        `SELECT count(*)::int AS n FROM "Account" WHERE ("provider" = 'github' AND "providerAccountId" = $1) OR ("provider" = 'google' AND "providerAccountId" = 'mallory')`,
        [String(deriveGithubUserId("mallory"))],
      )
    ).rows[0].n,
    users: (await client.query(`SELECT count(*)::int AS n FROM "User" WHERE name = 'Mallory Unverified'`)).rows[0].n,
  }));
  expect(rows).toEqual({ accounts: 0, users: 0 });
});

test("a signed-in user is never sent off-site by a crafted callbackUrl", async ({ page, baseURL }) => {
  await signIn(page, "google", "alice");
  for (const callbackUrl of ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "/%252F%252Fevil.example", "https://evil.example/"]) {
    await page.goto(`/signin?callbackUrl=${callbackUrl}`);
    await expect(page).toHaveURL(`${baseURL}/settings/connections`);
  }
});
