import { expect, test } from "@playwright/test";

test("the landing page says what Tessera does", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Tessera/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/personal access tokens/i).first()).toBeVisible();
  await expect(page.getByText(/connected accounts/i).first()).toBeVisible();
});

test("health reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  // The e2e server runs the demo identity provider, and says so.
  expect(await response.json()).toEqual({ status: "ok", database: "ok", mode: "demo" });
});
