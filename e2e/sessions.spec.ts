import { expect, test } from "@playwright/test";
import { hashSessionToken } from "../lib/auth/hash-session-token";
import { signIn, withAppDatabase } from "./support/app";

test("a real sign-in stores only the session's hash; sign-out deletes it and the cookie stops working", async ({ page, request }) => {
  await signIn(page, "google", "session-user");
  const cookie = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
  expect(cookie?.value).toBeTruthy();
  expect(cookie!.httpOnly).toBe(true);

  const dump = await withAppDatabase(async (client) => JSON.stringify((await client.query(`SELECT * FROM "Session"`)).rows));
  expect(dump).not.toContain(cookie!.value);
  expect(dump).toContain(hashSessionToken(cookie!.value));

  const asScript = (value: string) => request.get("/api/tokens", { headers: { cookie: `authjs.session-token=${value}` } });
  expect((await asScript(cookie!.value)).status()).toBe(200);
  // The stored hash is not a credential.
  expect((await asScript(hashSessionToken(cookie!.value))).status()).toBe(401);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  const left = await withAppDatabase(
    async (client) => (await client.query(`SELECT count(*)::int AS n FROM "Session" WHERE "sessionToken" = $1`, [hashSessionToken(cookie!.value)])).rows[0].n,
  );
  expect(left).toBe(0);
  expect((await asScript(cookie!.value)).status()).toBe(401);
});
