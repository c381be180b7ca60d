import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Browser } from "@playwright/test";
import { plantUser } from "./support/app";
import { recordTestTokens } from "./support/issued-tokens";

/*
 * Issue 25 §12 and the detail pages: an admin opens a webhook from the list, sends a test event and reads what
 * happened (the payload, the status, the start of the answer), edits the endpoint and deletes it there; a failure
 * reads as words in its own column, never "bad port" as a status code. Services and applications have detail pages too; not for non-admins.
 */
async function pageFor(browser: Browser, sessionToken: string, baseURL: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: sessionToken, url: baseURL }]);
  return context.newPage();
}

test("an admin sends a test event from a webhook's page, reads the delivery, edits the endpoint and deletes it", async ({ browser, request, baseURL }) => {
  const answers = [
    [500, "receiver exploded: stack trace here"],
    [200, "thanks"],
  ] as const;
  let n = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const [status, body] = answers[Math.min(n++, answers.length - 1)]!;
      res.writeHead(status, { "content-type": "text/plain" }).end(body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/detail-hooks`;
  const admin = await plantUser("detail-admin", "ADMIN");
  const headers = { cookie: admin.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" };
  const created = await request.post("/api/admin/webhooks", { headers, data: { url, events: ["pat.revoked"], description: "Incident channel" } });
  expect(created.status()).toBe(201);
  const { id, secret } = (await created.json()) as { id: string; secret: string };
  recordTestTokens(secret);
  // A second endpoint where nothing listens: its failure reads as words in its own column (once "bad port" sat in the status column).
  const blocked = await request.post("/api/admin/webhooks", { headers, data: { url: "http://127.0.0.1:9/blocked-port", events: ["pat.revoked"] } });
  const blockedId = ((await blocked.json()) as { id: string; secret: string }).id;
  recordTestTokens(((await blocked.json()) as { secret: string }).secret);
  expect((await request.post(`/api/admin/webhooks/${blockedId}/test`, { headers })).status()).toBe(200);

  const page = await pageFor(browser, admin.sessionToken, baseURL!);
  await page.goto("/admin/webhooks");
  const blockedRow = page.getByTestId("webhook-row").filter({ hasText: "blocked-port" });
  await expect(blockedRow.getByTestId("delivery-status-code")).toHaveText(/^—/);
  await expect(blockedRow.getByTestId("delivery-problem")).toHaveText("Connection refused: nothing is listening at that address");
  await expect(page.locator("main")).not.toContainText("bad port");

  await page.getByRole("link", { name: url }).click();
  await page.waitForURL(`**/admin/webhooks/${id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(new URL(url).host);
  await expect(page.getByText("Incident channel").first()).toBeVisible();

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("webhook-test-result")).toContainText("Not delivered: The receiver answered HTTP 500 (the receiver failed).");
  await page.getByRole("link", { name: "See the delivery" }).click();
  await expect(page.getByRole("heading", { name: "Delivery of webhook.test" })).toBeVisible();
  await expect(page.getByTestId("delivery-payload")).toContainText('"type": "webhook.test"');
  await expect(page.getByTestId("delivery-attempt")).toContainText("500");
  await expect(page.getByTestId("delivery-response-body")).toContainText("receiver exploded");
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("link", { name: "The webhook" }).click();
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByTestId("webhook-test-result")).toContainText(/Delivered: the receiver answered HTTP 200 in \d+ ms\./);
  await expect(page.getByTestId("webhook-delivery")).toHaveCount(2);
  await expect(page.getByRole("region", { name: "Recent audit events of this webhook" })).toContainText("Webhook test event sent");

  // Edit: a refused URL is said next to the field; a good one is saved and the secret stays.
  await page.getByLabel("URL").fill("http://user:pw@127.0.0.1/x");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("URL")).toBeFocused();
  await page.getByLabel("URL").fill(`${url}/v2`);
  await page.getByLabel("Description (optional)").fill("Security team");
  await page.getByRole("checkbox", { name: "pat.leaked" }).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Webhook saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("definition").filter({ hasText: `${url}/v2` })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "pat.leaked" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent audit events of this webhook" })).toContainText("Webhook edited");

  // Delete from its own page too, behind the same confirmation as on the list: Cancel keeps it; Delete lands on the
  // list, where it is gone and the other endpoint stays; its page is then a 404.
  await page.getByRole("button", { name: "Delete…" }).click();
  await expect(page.getByRole("dialog", { name: "Delete this webhook endpoint?" })).toContainText(`${url}/v2 gets no more events`);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete endpoint and its delivery log" }).click();
  await page.waitForURL(/\/admin\/webhooks$/);
  await expect(page.getByTestId("webhook-row").filter({ hasText: "blocked-port" })).toBeVisible();
  await expect(page.getByRole("link", { name: `${url}/v2` })).toHaveCount(0);
  expect((await page.goto(`/admin/webhooks/${id}`))?.status()).toBe(404);
  await page.context().close();
  receiver.close();
});

test("services and applications open on a detail page with their fields, actions and events; non-admins get a 404", async ({ browser, request, baseURL }) => {
  const admin = await plantUser("detail-admin2", "ADMIN");
  const headers = { cookie: admin.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" };
  const name = `detail-svc-${Date.now().toString(36)}`;
  const service = await request.post("/api/admin/services", {
    headers,
    data: { name, description: "Nightly calendar sync", permissions: ["credentials:google:read"] },
  });
  expect(service.status()).toBe(201);
  const serviceBody = (await service.json()) as { id: string; clientSecret: string };
  recordTestTokens(serviceBody.clientSecret);
  const appName = `detail-app-${Date.now().toString(36)}`;
  const app = await request.post("/api/applications", {
    headers,
    data: { name: appName, redirectUris: ["https://detail.example.com/cb"], confidential: true },
  });
  expect(app.status()).toBe(201);
  const appBody = (await app.json()) as { id: string; clientSecret?: string };
  recordTestTokens(appBody.clientSecret ?? "");

  const page = await pageFor(browser, admin.sessionToken, baseURL!);
  await page.goto("/admin/services");
  await page.getByRole("link", { name, exact: true }).click();
  await page.waitForURL(`**/admin/services/${serviceBody.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("Nightly calendar sync")).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent audit events of this service" })).toContainText("Service created");
  await expect(page.getByRole("button", { name: /^Rotate secret/ })).toBeVisible();

  await page.goto("/admin/applications");
  await page.getByRole("link", { name: appName, exact: true }).click();
  await page.waitForURL(`**/admin/applications/${appBody.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(appName);
  await expect(page.getByRole("definition").filter({ hasText: "https://detail.example.com/cb" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Disable" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent audit events of this application" })).toContainText("Application created");

  // Deleting a service from its own page lands on the list, where it is gone (not on a "not found" page).
  await page.goto(`/admin/services/${serviceBody.id}`);
  await page.getByRole("button", { name: "Delete…" }).click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: `Delete ${name} and its tokens` })
    .click();
  await page.waitForURL(/\/admin\/services$/);
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  await page.context().close();

  const user = await plantUser("detail-user");
  const userPage = await pageFor(browser, user.sessionToken, baseURL!);
  // The pages whose lists stream in behind a skeleton too (e2e/loading-states.spec.ts): the check comes first.
  for (const path of [
    `/admin/services/${serviceBody.id}`,
    `/admin/applications/${appBody.id}`,
    "/admin/webhooks/whk_000000000000000000000000",
    "/admin",
    "/admin/users",
    "/admin/audit",
  ]) {
    expect((await userPage.goto(path))?.status(), path).toBe(404);
  }
  await userPage.context().close();
});
