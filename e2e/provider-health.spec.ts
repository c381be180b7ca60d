import { expect, test } from "@playwright/test";
import { plantUser, withAppDatabase } from "./support/app";

/*
 * Issue 25 §11: provider health cried wolf. One person's dead grant (their access revoked at the provider) is said in
 * neutral words, "1 connection needs reconnecting", with no red alert; failures at several connections are an alert.
 * Each test uses a provider id of its own, so other specs' refreshes do not mix in.
 */
async function refreshFailed(provider: string, userId: string, retryable: boolean) {
  await withAppDatabase(async (db) => {
    const id = () => `ev_${provider}_${Math.random().toString(36).slice(2)}`;
    await db.query(
      `INSERT INTO "AuditEvent" (id, action, "actorType", "subjectUserId", provider, "tokenNames", detail, "createdAt")
       VALUES ($1, 'provider_token.refresh_failed', 'system', $2, $3, '{}', $4::jsonb, now() AT TIME ZONE 'UTC')`,
      [id(), userId, provider, JSON.stringify({ reason: retryable ? "provider answered 503" : "invalid_grant", retryable, latencyMs: 40 })],
    );
    if (!retryable)
      await db.query(
        `INSERT INTO "AuditEvent" (id, action, "actorType", "subjectUserId", provider, "tokenNames", "createdAt")
         VALUES ($1, 'connection.reconnect_required', 'system', $2, $3, '{}', now() AT TIME ZONE 'UTC')`,
        [id(), userId, provider],
      );
  });
}

test("one dead grant reads as a connection to reconnect, not as failing refreshes; failures at two connections are an alert", async ({ browser, baseURL }) => {
  const admin = await plantUser("health-admin", "ADMIN");
  const [ann, ben] = [await plantUser("health-ann"), await plantUser("health-ben")];
  const dead = `deadgrant-${Date.now().toString(36)}`;
  const down = `outage-${Date.now().toString(36)}`;
  await refreshFailed(dead, ann.userId, false);
  await refreshFailed(down, ann.userId, true);
  await refreshFailed(down, ben.userId, true);

  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: admin.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/admin");
  await expect(page.getByTestId(`provider-reconnect-${dead}`)).toHaveText(new RegExp(`^${dead}: 1 connection needs reconnecting`));
  await expect(page.getByTestId(`provider-failing-${dead}`)).toHaveCount(0);
  await expect(page.getByRole("alert").filter({ hasText: dead })).toHaveCount(0);
  await expect(page.getByTestId(`provider-health-row-${dead}`).getByTestId("backing-off")).toHaveText("none");

  await expect(page.getByRole("alert").filter({ hasText: down })).toContainText(`${down} refreshes are failing since`);
  await expect(page.getByRole("alert").filter({ hasText: down })).toContainText("2 connections affected");
  await context.close();
});
