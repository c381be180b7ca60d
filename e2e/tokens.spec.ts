import { expect, request, test } from "@playwright/test";
import { signIn } from "./support/app";
import { readShownPat } from "./support/issued-tokens";

test("create a PAT in the UI, use it from a script, revoke it in the UI", async ({ page, baseURL }) => {
  await signIn(page, "github", "pat-user");
  await page.goto("/settings/tokens");
  await expect(page.getByText("No tokens yet")).toBeVisible();

  await page.getByRole("textbox", { name: "Name" }).fill("e2e script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await readShownPat(page);
  expect(token).toMatch(/^tsr_pat_[0-9A-Za-z]{49}$/);
  await expect(page.getByText("it will not be shown again")).toBeVisible();

  const script = await request.newContext({ baseURL });
  const me = await script.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: "pat-user@example.com", token: { name: "e2e script", scopes: ["profile:read"] } });

  await page.reload();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  const row = page.getByTestId("token-row-e2e script");
  await expect(row).toContainText("active");
  await expect(row).toContainText(/(just now|ago) from 127\.0\.0\.1/);

  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByText("Token revoked")).toBeVisible();
  await expect(page.getByTestId("token-row-e2e script")).toContainText("revoked");

  const after = await script.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toBe('Bearer realm="tessera", error="invalid_token"');
  await script.dispose();
});
