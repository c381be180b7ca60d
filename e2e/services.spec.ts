import { expect, test, type APIRequestContext } from "@playwright/test";
import { connectionCard, readStoredToken, signIn, withAppDatabase } from "./support/app";
import { recordTestTokens } from "./support/issued-tokens";

const EXCHANGE = {
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
  requested_token_type: "urn:tessera:params:oauth:token-type:provider-access-token",
  audience: "google",
};

async function exchange(request: APIRequestContext, clientId: string, secret: string, userId: string, purpose: string) {
  return request.post("/api/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    form: { ...EXCHANGE, subject_token: userId, purpose },
  });
}

test("an admin creates a service; it obtains a user's token; the user sees it and blocks it; rotate, disable, delete", async ({ browser, request }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "google", "admin");
  await adminPage.goto("/admin/services");
  await adminPage.getByLabel("Name").fill("e2e calendar sync");
  await adminPage.getByRole("checkbox", { name: "credentials:google:read" }).check();
  await adminPage.getByRole("button", { name: "Create service" }).click();
  const secret = (await adminPage.getByTestId("new-service-secret-value").textContent())!.trim();
  // A client secret is a credential: the log scan searches the app log for it.
  recordTestTokens(secret);
  expect(secret).toMatch(/^tsr_cs_/);
  const row = adminPage.getByTestId("service-row").filter({ hasText: "e2e calendar sync" });
  const clientId = (await row.locator("code").first().textContent())!.trim();
  expect(clientId).toMatch(/^tsr_svc_/);
  // Shown once: after a reload the secret is nowhere on the page.
  await adminPage.reload();
  expect(await adminPage.content()).not.toContain(secret);

  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, "google", "dave");
  const userId = await withAppDatabase(async (db) => (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = 'dave@example.com'`)).rows[0]!.id);

  const granted = await exchange(request, clientId, secret, userId, "nightly calendar sync");
  expect(granted.status()).toBe(200);
  const body = await granted.json();
  expect(body.access_token).toBe(await readStoredToken("dave@example.com", "google", "access_token"));
  expect(body.refresh_token).toBeUndefined();

  await userPage.goto("/settings/connections");
  const usage = connectionCard(userPage, "google").getByTestId("service-usage");
  await expect(usage).toContainText("e2e calendar sync");
  // Plain words (issue 25 §7), and who to ask about the service: the admin who registered it.
  await expect(usage).toContainText("took your Google access 1 time · no calls through Tessera");
  await expect(usage.getByTestId("service-about")).toContainText("registered by");
  await expect(usage).toContainText("nightly calendar sync");
  await usage.getByRole("button", { name: "Block" }).click();
  await expect(userPage.getByTestId("notice")).toContainText("can no longer obtain your Google token");
  const refused = await exchange(request, clientId, secret, userId, "after block");
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toEqual({ error: "invalid_request", error_description: "access_denied_by_user" });

  // The admin sees the same on the user's security tab, and the audit log filters by service.
  await adminPage.goto(`/admin/users/${userId}`);
  await expect(adminPage.getByTestId("admin-service-usage")).toContainText("e2e calendar sync");
  await expect(adminPage.getByTestId("admin-service-usage")).toContainText("blocked");

  // Rotate with no overlap: the old secret stops at once, the new one works. Rotate, Disable and Delete ask first.
  await adminPage.goto("/admin/services");
  const serviceRow = adminPage.getByTestId("service-row").filter({ hasText: "e2e calendar sync" });
  await serviceRow.getByRole("button", { name: "Rotate secret" }).click();
  const rotateDialog = adminPage.getByRole("dialog", { name: "Rotate the secret of “e2e calendar sync”?" });
  await rotateDialog.getByLabel("Hours the old secret keeps working").fill("0");
  await rotateDialog.getByRole("button", { name: "Rotate secret" }).click();
  await expect(adminPage.getByTestId("new-service-secret").getByRole("button", { name: "Copy", exact: true }).first()).toBeFocused();
  // The heading says when the old secret stops in words a person reads (not an ISO timestamp), and the client id copies.
  await expect(adminPage.getByTestId("new-service-secret")).toContainText(/the old one works until \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC\./);
  await expect(adminPage.getByTestId("new-service-secret").getByRole("button", { name: "Copy client id" })).toBeVisible();
  const rotated = (await adminPage.getByTestId("new-service-secret-value").textContent())!.trim();
  recordTestTokens(rotated);
  expect(rotated).not.toBe(secret);
  expect((await exchange(request, clientId, secret, userId, "old secret")).status()).toBe(401);
  expect((await exchange(request, clientId, rotated, userId, "new secret")).status()).toBe(400); // still blocked by dave

  await serviceRow.getByRole("button", { name: "Disable" }).click();
  const disableDialog = adminPage.getByRole("dialog", { name: "Disable “e2e calendar sync”?" });
  // Cancel leaves it working; only the dialog's Disable service disables it.
  await disableDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(disableDialog).toBeHidden();
  await expect(serviceRow.getByText("active", { exact: true })).toBeVisible();
  await serviceRow.getByRole("button", { name: "Disable" }).click();
  await disableDialog.getByRole("button", { name: "Disable service" }).click();
  await expect(serviceRow).toContainText("disabled");
  await expect(adminPage.locator(":focus")).toContainText("Service “e2e calendar sync” disabled.");
  expect((await exchange(request, clientId, rotated, userId, "disabled")).status()).toBe(401);
  await serviceRow.getByRole("button", { name: "Delete…" }).click();
  await adminPage.getByRole("dialog", { name: "Delete “e2e calendar sync”?" }).getByRole("button", { name: "Delete e2e calendar sync and its tokens" }).click();
  await expect(adminPage.getByTestId("service-row").filter({ hasText: "e2e calendar sync" })).toHaveCount(0);
  await adminContext.close();
  await userContext.close();
});

test("an admin lets a service call GitHub through the proxy; the person sees the proxied calls and blocks them", async ({ browser, request }) => {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, "google", "admin");
  await adminPage.goto("/admin/services");
  await adminPage.getByLabel("Name").fill("e2e repo bot");
  await adminPage.getByRole("checkbox", { name: "proxy:github" }).check();
  await adminPage.getByLabel("Provider API proxy allow-list").fill("github:/me");
  await adminPage.getByRole("button", { name: "Create service" }).click();
  const secret = (await adminPage.getByTestId("new-service-secret-value").textContent())!.trim();
  recordTestTokens(secret);
  const row = adminPage.getByTestId("service-row").filter({ hasText: "e2e repo bot" });
  const clientId = (await row.locator("code").first().textContent())!.trim();
  // The admin widens the allow-list on the service's row.
  // Stored, and shown, in the explicit form: a line without a method allows GET (and HEAD) only.
  await expect(row.getByRole("textbox", { name: /Proxy allow-list/ })).toHaveValue("GET github:/me");
  await row.getByRole("textbox", { name: /Proxy allow-list/ }).fill("github:/me\ngithub:/items");
  await row.getByRole("button", { name: "Save allow-list" }).click();
  await expect(row.getByRole("textbox", { name: /Proxy allow-list/ })).toHaveValue("GET github:/me\nGET github:/items");

  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, "github", "erin");
  const userId = await withAppDatabase(async (db) => (await db.query<{ id: string }>(`SELECT id FROM "User" WHERE email = 'erin@example.com'`)).rows[0]!.id);

  const grant = await request.post("/api/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    form: { grant_type: "client_credentials" },
  });
  expect(grant.status()).toBe(200);
  const token = (await grant.json()).access_token as string;
  recordTestTokens(token);
  const proxied = (path: string) =>
    request.get(`/api/proxy/github${path}`, {
      headers: { authorization: `Bearer ${token}`, "tessera-on-behalf-of": userId, "tessera-purpose": "repo triage" },
    });
  const me = await proxied("/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ login: "erin", type: "User" });
  const items = await proxied("/items?page=3");
  expect(items.status()).toBe(200);
  expect(await items.json()).toMatchObject({ page: 3, nextPage: null });
  expect((await proxied("/user/repos")).status()).toBe(403);

  await userPage.goto("/settings/connections");
  const usage = connectionCard(userPage, "github").getByTestId("service-usage");
  await expect(usage).toContainText("e2e repo bot");
  await expect(usage).toContainText("never took your GitHub access · called GitHub through Tessera 2 times");
  await expect(usage).toContainText("repo triage");
  await usage.getByRole("button", { name: "Block" }).click();
  await expect(userPage.getByTestId("notice")).toContainText("GitHub");
  const blocked = await proxied("/me");
  expect(blocked.status()).toBe(403);
  expect((await blocked.json()).error.code).toBe("access_denied_by_user");
  await adminContext.close();
  await userContext.close();
});
