import { expect, test, type Page } from "@playwright/test";
import { completeIdpLogin, plantUser, withAppDatabase } from "./support/app";
import { createPat } from "./support/issued-tokens";

/*
 * Issue 25 §3: when the session has ended (here: its row deleted, as "sign out everywhere" or an admin does), a
 * button on an open page sends the person to sign in and back to that page — not "Something went wrong" under a
 * header that still shows them signed in, nor the API's personal-access-token error. One server-action form
 * (Revoke, in its confirmation) and one fetch form (registering an application) prove it.
 */
async function endSessions(userId: string) {
  await withAppDatabase((db) => db.query(`DELETE FROM "Session" WHERE "userId" = $1`, [userId]));
}

/** On the sign-in page with `path` to come back to; signing in (as anyone) returns there. */
async function expectSignInAndBack(page: Page, path: string) {
  await page.waitForURL((url) => url.pathname === "/signin");
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(path);
  await expect(page.getByRole("button", { name: "Continue with Google" })).toBeVisible();
  await expect(page.getByText("Something went wrong")).toHaveCount(0);
  await page.getByRole("button", { name: "Continue with Google" }).click();
  await completeIdpLogin(page, `ended-session-${Math.random().toString(36).slice(2, 8)}`);
  await page.waitForURL((url) => url.pathname === path);
}

test("a server-action form after the session ended: sign in, then back to the page", async ({ browser, request, baseURL }) => {
  const user = await plantUser("ended-action");
  await createPat(
    request,
    { cookie: user.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    { name: "ended session token", scopes: ["profile:read"], expiresInDays: 7 },
  );
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: user.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/settings/tokens");
  await page.getByRole("row").filter({ hasText: "ended session token" }).getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “ended session token”?" });
  await expect(dialog).toBeVisible();
  await endSessions(user.userId);
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expectSignInAndBack(page, "/settings/tokens");
  await context.close();
});

test("a fetch form after the session ended: sign in, then back to the page, not the API's token error", async ({ browser, baseURL }) => {
  const user = await plantUser("ended-fetch");
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: user.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/settings/applications");
  await page.getByLabel("Name", { exact: true }).fill("Ended session application");
  await page.getByLabel(/^Redirect URIs/).fill("https://ended.example.com/callback");
  await endSessions(user.userId);
  await page.getByRole("button", { name: "Register application" }).click();
  await expectSignInAndBack(page, "/settings/applications");
  await context.close();
});
