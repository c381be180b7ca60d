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
  // RFC 6750 plus RFC 9728: where an OAuth client finds how to get a token for this API.
  expect(after.headers()["www-authenticate"]).toBe(
    `Bearer realm="tessera", error="invalid_token", resource_metadata="${baseURL}/.well-known/oauth-protected-resource/api/v1"`,
  );
  await script.dispose();
});

test("Regenerate: the new value shown once, the old one refused at once; reusing it revokes the new one too", async ({ page, baseURL }) => {
  await signIn(page, "github", "pat-regenerate");
  await page.goto("/settings/tokens");
  await page.getByRole("textbox", { name: "Name" }).fill("rotating script");
  await page.getByRole("button", { name: "Create token" }).click();
  const old = await readShownPat(page);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);

  const row = page.getByTestId("token-row-rotating script");
  await row.getByRole("button", { name: "Regenerate" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate “rotating script”?" });
  await expect(dialog.getByRole("combobox", { name: "The old token" })).toHaveValue("0");
  await dialog.getByRole("button", { name: "Regenerate token" }).click();
  const fresh = await readShownPat(page);
  expect(fresh).toMatch(/^tsr_pat_[0-9A-Za-z]{49}$/);
  expect(fresh === old, "a new value").toBe(false);
  await expect(dialog.getByText("it will not be shown again")).toBeVisible();

  const script = await request.newContext({ baseURL });
  const me = (token: string) => script.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect((await me(fresh)).status()).toBe(200);
  expect((await me(old)).status(), "overlap 0: the old value stops at once").toBe(401);

  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-token-value")).toHaveCount(0);
  await page.reload();
  expect(await page.content()).not.toContain(fresh);
  await expect(page.getByText("Replaced: regenerated")).toBeVisible();
  await expect(page.getByTestId("recent-clients").first()).toContainText("127.0.0.1");

  // The old value shows up again: Tessera assumes it was stolen and ends the new one as well.
  expect((await me(old)).status()).toBe(401);
  expect((await me(fresh)).status(), "reuse detection revoked the successor").toBe(401);
  await page.reload();
  await expect(page.getByTestId("token-incidents")).toContainText("an older value of it was used after you regenerated it");
  await script.dispose();
});

test("a leak report revokes a PAT and its owner sees why", async ({ page, baseURL }) => {
  await signIn(page, "github", "pat-leaked");
  await page.goto("/settings/tokens");
  await page.getByRole("textbox", { name: "Name" }).fill("pasted in a gist");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await readShownPat(page);

  const scanner = await request.newContext({ baseURL });
  const reported = await scanner.post("/api/credentials/report-leak", { data: { tokens: [token, "tsr_pat_not-a-token"] } });
  expect(reported.status()).toBe(202);
  expect(await reported.json()).toEqual({ received: 2 });
  expect((await scanner.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
  await scanner.dispose();

  await page.reload();
  await expect(page.getByTestId("token-incidents")).toContainText("“pasted in a gist” was reported leaked");
  await expect(page.getByTestId("token-incident")).toHaveCount(1);
  await expect(page.getByTestId("token-row-pasted in a gist")).toContainText("Revoked: reported leaked");
  // The bell has it too, and the banner ends once it is dismissed (issue 25 §8: it never did).
  await expect(page.getByTestId("notifications-unread")).toHaveText("1");
  await page.getByRole("button", { name: "Dismiss the notice about “pasted in a gist”" }).click();
  await expect(page.getByTestId("token-incidents")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("token-incidents")).toHaveCount(0);
  await expect(page.getByTestId("notifications-unread")).toHaveCount(0);
});
