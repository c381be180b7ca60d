import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { plantUser } from "./support/app";

/*
 * Issue 25 §4: when the API refuses a form, the error sits next to the control it is about, in plain words (no
 * "redirectUris.0:", "permissions:", "scopes:"), the control is marked invalid and described by the message, and
 * focus moves to it — on developer applications, admin services, admin webhooks and token creation.
 */
async function signedInPage(browser: Browser, baseURL: string, role: "USER" | "ADMIN") {
  const person = await plantUser(`form-errors-${role.toLowerCase()}`, role);
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: person.sessionToken, url: baseURL }]);
  return context.newPage();
}

/** The control is focused, invalid, and described by a message next to it that reads `message` (no field path). */
async function expectErrorAt(page: Page, control: Locator, message: string | RegExp) {
  await expect(control).toBeFocused();
  await expect(control).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await control.getAttribute("aria-describedby"))!.split(" ")[0]!;
  const error = page.locator(`[id="${describedBy}"]`);
  await expect(error).toHaveText(message);
  await expect(error).not.toContainText(/^\w+(\.\d+)?:/);
  await expect(control).toHaveAccessibleDescription(message);
}

test("developer applications: a refused redirect URI is named by its line, next to the box, which gets focus", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL!, "USER");
  await page.goto("/settings/applications");
  await page.getByLabel("Name", { exact: true }).fill("Form errors app");
  const redirects = page.getByLabel(/^Redirect URIs/);
  await redirects.fill("https://ok.example.com/callback\nhttp://not-loopback.example.com/callback");
  await page.getByRole("button", { name: "Register application" }).click();
  await expectErrorAt(page, redirects, /^Line 2: redirect URI may use http only for/);
  // Fixed, the form goes through and the message goes away.
  await redirects.fill("https://ok.example.com/callback");
  await page.getByRole("button", { name: "Register application" }).click();
  await expect(page.getByTestId("new-application-secret")).toBeVisible();
  await expect(redirects).not.toHaveAttribute("aria-invalid");
  await page.context().close();
});

test("admin services: no permission ticked is said next to the permissions, and focus moves to the first", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL!, "ADMIN");
  await page.goto("/admin/services");
  await page.getByLabel("Name", { exact: true }).fill("form errors service");
  await page.getByRole("button", { name: "Create service" }).click();
  await expectErrorAt(page, page.locator("#service-permission-0"), "Choose at least one permission.");
  await page.context().close();
});

test("admin webhooks: no event ticked is said next to the events, and focus moves to the first", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL!, "ADMIN");
  await page.goto("/admin/webhooks");
  await page.getByLabel("URL", { exact: true }).fill("https://hooks.example.com/form-errors");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expectErrorAt(page, page.locator("#webhook-event-0"), "Choose at least one event.");
  await page.context().close();
});

test("token creation: no scope ticked is said next to the scopes, and focus moves to the first", async ({ browser, baseURL }) => {
  const page = await signedInPage(browser, baseURL!, "USER");
  await page.goto("/settings/tokens");
  await page.getByLabel("Name", { exact: true }).fill("form errors token");
  for (const box of await page.locator('input[name="scopes"]').all()) await box.uncheck();
  await page.getByRole("button", { name: "Create token" }).click();
  await expectErrorAt(page, page.locator("#token-scope-0"), "Choose at least one scope.");
  await page.context().close();
});
