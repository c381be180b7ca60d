import { expect, test } from "@playwright/test";
import { plantUser } from "./support/app";
import { createPat } from "./support/issued-tokens";

/*
 * Issue 25 §5: focus follows the work. A new secret's Copy button takes focus the moment it is shown (not 13
 * Shift+Tabs away); after regenerating, Copy of the new value has it; after a revoke the outcome has it (the
 * row and the dialog it came from are gone).
 */
test("after creating a token, regenerating one and revoking one, focus is where the person continues", async ({ browser, request, baseURL }) => {
  const user = await plantUser("focus-user");
  await createPat(
    request,
    { cookie: user.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    { name: "focus old token", scopes: ["profile:read"], expiresInDays: 7 },
  );
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: user.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/settings/tokens");

  await page.getByLabel("Name", { exact: true }).fill("focus new token");
  await page.getByRole("button", { name: "Create token" }).click();
  const created = page.getByTestId("new-token");
  await expect(created.getByRole("button", { name: "Copy", exact: true })).toBeFocused();
  await created.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("row").filter({ hasText: "focus old token" });
  await row.getByRole("button", { name: "Regenerate" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate “focus old token”?" });
  await dialog.getByRole("button", { name: "Regenerate token" }).click();
  await expect(dialog.getByTestId("new-token").getByRole("button", { name: "Copy", exact: true })).toBeFocused();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole("row").filter({ hasText: "focus new token" }).getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("dialog", { name: "Revoke “focus new token”?" }).getByRole("button", { name: "Revoke token" }).click();
  const notice = page.getByTestId("notice");
  await expect(notice).toHaveText(/Token revoked/);
  await expect(page.locator(":focus")).toContainText("Token revoked");
  await context.close();
});

test("after registering an application, the client secret's Copy has focus", async ({ browser, baseURL }) => {
  const user = await plantUser("focus-developer");
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: user.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/settings/applications");
  await page.getByLabel("Name", { exact: true }).fill("Focus test application");
  await page.getByLabel(/^Redirect URIs/).fill("https://focus.example.com/callback");
  await page.getByRole("button", { name: "Register application" }).click();
  await expect(page.getByTestId("new-application-secret").getByRole("button", { name: "Copy", exact: true }).first()).toBeFocused();
  await expect(page.getByTestId("new-application-secret").getByRole("button", { name: "Copy client id" })).toBeVisible();
  await context.close();
});
