import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhookSignature } from "../lib/webhooks/webhook-signature";
import { signIn, withAppDatabase } from "./support/app";
import { createPat, recordTestTokens } from "./support/issued-tokens";

test("an admin adds a webhook (secret once), a revoked PAT is delivered signed, Redeliver sends it again, delete asks first", async ({ browser }) => {
  test.setTimeout(120_000);
  const received: { body: string; verified: boolean }[] = [];
  let secret = "";
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ body, verified: verifyWebhookSignature(secret, body, req.headers["tessera-signature"] as string).ok });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/e2e-hooks`;

  const adminContext = await browser.newContext();
  const page = await adminContext.newPage();
  await signIn(page, "google", "admin");
  await page.goto("/admin/webhooks");
  await page.getByLabel("URL").fill(url);
  await page.getByRole("checkbox", { name: "pat.revoked" }).check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  secret = (await page.getByTestId("new-webhook-secret-value").textContent())!.trim();
  recordTestTokens(secret);
  expect(secret).toMatch(/^tsr_whsec_/);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
  await page.reload();
  // Other specs (the leak guard) may have endpoints of their own: ours is the row with our URL.
  const row = page.getByTestId("webhook-row").filter({ hasText: url });
  await expect(row).toHaveCount(1);
  expect(await page.content()).not.toContain(secret);

  // A PAT revoked by its owner (the admin here) fires pat.revoked.
  const pat = await createPat(
    page.request,
    { origin: new URL(page.url()).origin, "sec-fetch-site": "same-origin" },
    { name: "e2e-hooked", scopes: ["tokens:write"], expiresInDays: 1 },
  );
  expect((await page.request.delete("/api/tokens/current", { headers: { authorization: `Bearer ${pat}` } })).status()).toBe(204);
  await expect.poll(() => received.length, { timeout: 20_000 }).toBe(1);
  expect(received[0]!.verified).toBe(true);
  expect(JSON.parse(received[0]!.body).type).toBe("pat.revoked");
  expect(received[0]!.body).not.toContain(pat);

  await page.reload();
  const delivery = row.getByTestId("webhook-delivery").first();
  await expect(delivery).toContainText("pat.revoked");
  await expect(delivery).toContainText("200");
  await delivery.getByRole("button", { name: "Redeliver" }).click();
  await expect(page.getByText("Redelivery of pat.revoked queued.")).toBeVisible();
  await expect.poll(() => received.length, { timeout: 20_000 }).toBe(2);
  expect(received[1]!.body).toBe(received[0]!.body);

  await row.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("dialog", { name: "Delete this webhook endpoint?" }).getByRole("button", { name: "Delete endpoint and its delivery log" }).click();
  await expect(row).toHaveCount(0);
  expect(
    await withAppDatabase(async (client) => (await client.query(`SELECT count(*)::int AS n FROM "WebhookEndpoint" WHERE url = $1`, [url])).rows[0].n),
  ).toBe(0);
  await adminContext.close();
  receiver.close();
});
