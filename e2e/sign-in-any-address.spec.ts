import { expect, test } from "@playwright/test";
import { completeIdpLogin, PROVIDER_LABELS } from "./support/app";

/*
 * Demo mode has no AUTH_URL: sign-in works at whichever address the app was opened (Auth.js's
 * trusted-host mode), here 127.0.0.1 next to the baseURL's localhost used everywhere else. Before,
 * the callback landed on localhost without its state cookies and sign-in failed half-way.
 */
test("signs in at http://127.0.0.1:PORT and stays on that address", async ({ page, baseURL }) => {
  const origin = baseURL!.replace("localhost", "127.0.0.1");
  await page.goto(`${origin}/signin?callbackUrl=/settings/connections`);
  await page.getByRole("button", { name: `Continue with ${PROVIDER_LABELS.github}` }).click();
  await completeIdpLogin(page, "bob");
  await page.waitForURL(`${origin}/settings/connections`);
  await expect(page.getByRole("heading", { name: "Connected accounts" })).toBeVisible();
});
