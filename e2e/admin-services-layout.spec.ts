import { expect, test } from "@playwright/test";
import { plantUser } from "./support/app";
import { recordTestTokens } from "./support/issued-tokens";

/*
 * Issue 25 §6: on the admin services page at 1280 px the actions fit their column (no sideways scroll in the
 * table), the overlap field is wide enough to type in (it lives in Rotate's confirmation), Disable and Rotate ask
 * before acting, and permissions read in words.
 */
test("admin services at 1280 px: actions fit, Rotate and Disable confirm, the overlap field is usable, permissions in words", async ({
  browser,
  request,
  baseURL,
}) => {
  const admin = await plantUser("layout-admin", "ADMIN");
  const name = `layout check ${Math.random().toString(36).slice(2, 8)}`;
  const created = await request.post("/api/admin/services", {
    headers: { cookie: admin.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    data: { name, permissions: ["credentials:google:read", "proxy:github", "tokens:introspect"], proxyAllow: ["GET github:/repos/acme/issues"] },
  });
  expect(created.status()).toBe(201);
  recordTestTokens(((await created.json()) as { clientSecret: string }).clientSecret);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: "authjs.session-token", value: admin.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/admin/services");

  const region = page.getByRole("region", { name: "Services" });
  const fits = await region.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits, "the services table does not scroll sideways at 1280 px").toBe(true);
  const row = page.getByTestId("service-row").filter({ hasText: name });
  await expect(row.getByRole("list", { name: `Permissions of ${name}` })).toContainText("Obtain people's Google access tokens");
  await expect(row).toContainText("Call GitHub's API through Tessera");
  await expect(row).toContainText("Check whether a Tessera token is valid");

  await row.getByRole("button", { name: "Rotate secret" }).click();
  const rotate = page.getByRole("dialog", { name: `Rotate the secret of “${name}”?` });
  await expect(rotate).toBeVisible();
  await expect(rotate.getByRole("button", { name: "Cancel" })).toBeFocused();
  const overlap = rotate.getByLabel("Hours the old secret keeps working");
  expect((await overlap.boundingBox())!.width, "the overlap field has room for a number").toBeGreaterThanOrEqual(96);
  await rotate.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("new-service-secret")).toHaveCount(0);

  await row.getByRole("button", { name: "Disable" }).click();
  const disable = page.getByRole("dialog", { name: `Disable “${name}”?` });
  await expect(disable).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(disable).toBeHidden();
  await expect(row.getByText("active", { exact: true })).toBeVisible();
  await context.close();
});
