import { expect, request, test } from "@playwright/test";
import { completeIdpLogin, plantUser, signIn, withAppDatabase } from "./support/app";
import { createPat, readShownPat } from "./support/issued-tokens";

/*
 * Issue 25, the personal credentials side: a detail page per token, Revoke all my tokens, Your sessions, sudo
 * mode ("Confirm it's you"), and shown-once panels whose commands keep the value off the command line.
 */

const userIdOf = (email: string) =>
  withAppDatabase(async (db) => (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email])).rows[0]!.id);

test("a token's detail page: scopes in words, expiry date, recent addresses, edit, Regenerate with a new expiry; never the value", async ({
  page,
  baseURL,
  browser,
}) => {
  await signIn(page, "github", "detail-person");
  await page.goto("/settings/tokens");
  await page.getByRole("textbox", { name: "Name" }).fill("wiki backup");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await readShownPat(page);
  // The command reads the value from a hidden prompt: the token is never on a command line.
  const command = page.getByTestId("new-token-command");
  await expect(command).toContainText("read -rs TESSERA_TOKEN");
  await expect(command).toContainText(`curl -H "Authorization: Bearer $TESSERA_TOKEN" ${baseURL}/api/v1/me`);
  expect(await command.textContent()).not.toContain(token);
  await expect(page.getByTestId("new-token").getByRole("button", { name: "Copy command" })).toBeVisible();
  await page.getByRole("button", { name: "Done" }).click();

  const script = await request.newContext({ baseURL });
  expect((await script.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

  await page.getByTestId("token-row-wiki backup").getByRole("link", { name: "wiki backup" }).click();
  await page.waitForURL(/\/settings\/tokens\/pat_[A-Za-z0-9]+$/);
  const detailUrl = page.url();
  await expect(page.getByRole("heading", { level: 1, name: "wiki backup" })).toBeVisible();
  await expect(page.getByTestId("token-scopes")).toContainText("Read your profile: id, email, name and role.");
  await expect(page.getByTestId("token-facts")).toContainText(/Expires\s*\d{1,2} [A-Z][a-z]{2} \d{4}/);
  await expect(page.getByTestId("token-recent-clients")).toContainText("127.0.0.1");
  expect(await page.content()).not.toContain(token);

  await page.getByRole("textbox", { name: "Description" }).fill("Backs up the wiki every night.");
  await page.getByRole("button", { name: "Save details" }).click();
  await expect(page.getByTestId("notice")).toContainText("Token details saved");
  await expect(page.getByText("Backs up the wiki every night.").first()).toBeVisible();

  // Someone else opening this address sees nothing: the same 404 as an unknown token.
  const stranger = await plantUser("detail-stranger");
  const other = await browser.newContext({ baseURL });
  await other.addCookies([{ name: "authjs.session-token", value: stranger.sessionToken, url: baseURL! }]);
  const strangerPage = await other.newPage();
  const answer = await strangerPage.goto(detailUrl);
  expect(answer!.status()).toBe(404);
  await expect(strangerPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(strangerPage.getByText("wiki backup")).toHaveCount(0);
  await other.close();

  await page.getByRole("button", { name: "Regenerate" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate “wiki backup”?" });
  await dialog.getByRole("combobox", { name: "The new token expires" }).selectOption("7");
  await expect(dialog.getByTestId("regenerate-expiry-preview")).toContainText(/On \d{1,2} [A-Z][a-z]{2} \d{4}/);
  await dialog.getByRole("button", { name: "Regenerate token" }).click();
  const fresh = await readShownPat(page);
  expect(fresh).not.toBe(token);
  await dialog.getByRole("button", { name: "Done" }).click();
  // The new token's own page: same name and description, expiring in 7 days.
  await page.waitForURL((url) => /\/settings\/tokens\/pat_/.test(url.pathname) && url.href !== detailUrl);
  await expect(page.getByRole("heading", { level: 1, name: "wiki backup" })).toBeVisible();
  await expect(page.getByTestId("token-facts")).toContainText("expires in 7 days");
  expect(await page.content()).not.toContain(fresh);
  expect((await script.get("/api/v1/me", { headers: { authorization: `Bearer ${fresh}` } })).status()).toBe(200);
  await script.dispose();
});

test("Revoke all my tokens: one confirmation, every token of mine stops, focus on the outcome", async ({ page, baseURL }) => {
  const me = await plantUser("revoke-all-mine");
  const headers = { cookie: me.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" };
  const api = await request.newContext({ baseURL });
  const tokens = [
    await createPat(api, headers, { name: "ci", scopes: ["profile:read"], expiresInDays: 7 }),
    await createPat(api, headers, { name: "laptop", scopes: ["profile:read"], expiresInDays: 7 }),
  ];
  await page.context().addCookies([{ name: "authjs.session-token", value: me.sessionToken, url: baseURL! }]);
  await page.goto("/settings/tokens");
  await page.getByRole("button", { name: "Revoke all my tokens" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke all your tokens?" });
  await expect(dialog).toContainText("Other people's tokens are not affected");
  await dialog.getByRole("button", { name: "Revoke all tokens" }).click();
  const notice = page.getByTestId("notice");
  await expect(notice).toContainText("All your active tokens were revoked");
  await expect(page.locator(":focus")).toContainText("All your active tokens were revoked");
  await expect(page.getByTestId("token-row-ci")).toContainText("revoked");
  await expect(page.getByTestId("token-row-laptop")).toContainText("revoked");
  for (const token of tokens) expect((await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
  await api.dispose();
});

test("Your sessions: this device marked, another browser named in words and signed out", async ({ page, baseURL }) => {
  await signIn(page, "github", "sessions-person");
  const userId = await userIdOf("sessions-person@example.com");
  // A second browser of the same person (as a sign-in from a Windows laptop would leave it).
  const other = await plantUser("unused-sessions-helper", "USER", { providers: {} });
  await withAppDatabase((db) =>
    db.query(
      `UPDATE "Session" SET "userId" = $1, "userAgent" = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
         "lastSeenIp" = '198.51.100.23', "lastSeenAt" = now() - interval '2 hours' WHERE "userId" = $2`,
      [userId, other.userId],
    ),
  );

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
  await page.waitForURL("**/settings/sessions");
  const current = page.getByTestId("session-current");
  await expect(current).toContainText("This device");
  await expect(current).toContainText(/Chrome on Linux|A browser on Linux/);
  const laptop = page.getByTestId("session-other");
  await expect(laptop).toContainText("Firefox on Windows");
  await expect(laptop).toContainText("198.51.100.23");
  await expect(laptop).toContainText("2 hours ago");

  const api = await request.newContext({ baseURL });
  expect((await api.get("/api/tokens", { headers: { cookie: other.cookie } })).status()).toBe(200);
  await laptop.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("dialog", { name: "Sign out Firefox on Windows?" }).getByRole("button", { name: "Sign it out" }).click();
  await expect(page.getByTestId("notice")).toContainText("That session was signed out");
  await expect(page.getByTestId("session-other")).toHaveCount(0);
  await expect(page.getByTestId("session-current")).toBeVisible();
  expect((await api.get("/api/tokens", { headers: { cookie: other.cookie } })).status()).toBe(401);
  await api.dispose();
});

test("sudo mode: an old sign-in asks to confirm it's you before a token is created, then comes back to the page", async ({ page }) => {
  await signIn(page, "github", "sudo-person");
  const userId = await userIdOf("sudo-person@example.com");
  await withAppDatabase((db) => db.query(`UPDATE "Session" SET "authenticatedAt" = now() - interval '20 minutes' WHERE "userId" = $1`, [userId]));

  await page.goto("/settings/tokens");
  await expect(page.getByTestId("confirm-its-you")).toContainText("Creating a token needs a sign-in within the last 10 minutes");
  await page.getByRole("textbox", { name: "Name" }).fill("after confirming");
  await page.getByRole("button", { name: "Create token" }).click();
  await page.waitForURL(/\/signin\?reauth=1/);
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  // Only the provider this person signs in with.
  await expect(page.getByRole("button", { name: /^Continue with / })).toHaveCount(1);
  await page.getByRole("button", { name: "Continue with GitHub" }).click();
  await completeIdpLogin(page, "sudo-person");
  await page.waitForURL("**/settings/tokens");
  await expect(page.getByTestId("confirm-its-you")).toHaveCount(0);
  await page.getByRole("textbox", { name: "Name" }).fill("after confirming");
  await page.getByRole("button", { name: "Create token" }).click();
  expect(await readShownPat(page)).toMatch(/^tsr_pat_/);
});
