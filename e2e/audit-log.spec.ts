import { expect, test, type Browser, type Page } from "@playwright/test";
import { plantUser } from "./support/app";
import { createPat } from "./support/issued-tokens";

/*
 * Issue 25 §2: the audit log reads like a sentence. The admin's log names people (name and email), filters by an
 * email and a labelled action, and its table fits at 1280 and 390 px; a person's own security log shows their events
 * in the same words, and nobody else's.
 */
async function signedInPage(browser: Browser, sessionToken: string, baseURL: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: "authjs.session-token", value: sessionToken, url: baseURL }]);
  return context.newPage();
}

async function tableFits(page: Page) {
  return page.getByRole("region", { name: /events/i }).evaluate((region) => ({
    clipped: region.scrollWidth > region.clientWidth + 1,
    focusable: region.tabIndex === 0,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
  }));
}

test("an admin reads who did what by name, filters by email and a labelled action, at 1280 and 390 px", async ({ browser, request, baseURL }) => {
  const admin = await plantUser("audit-admin", "ADMIN");
  const alice = await plantUser("audit-alice");
  const bob = await plantUser("audit-bob");
  const same = { origin: baseURL!, "sec-fetch-site": "same-origin" };
  await createPat(request, { cookie: alice.cookie, ...same }, { name: "alice nightly deploy", scopes: ["profile:read"], expiresInDays: 7 });
  await createPat(request, { cookie: bob.cookie, ...same }, { name: "bob laptop", scopes: ["profile:read"], expiresInDays: 7 });

  const page = await signedInPage(browser, admin.sessionToken, baseURL!);
  await page.goto("/admin/audit");
  await page.getByLabel("Person (email)").fill(alice.email);
  await page.getByLabel("Action").selectOption({ label: "Token created" });
  await page.getByRole("button", { name: "Filter" }).click();
  await page.waitForURL(/person=/);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Token created");
  await expect(rows.first()).toContainText("alice nightly deploy");
  await expect(rows.first()).toContainText(alice.email);
  // Names, never database ids; the person links to their page.
  await expect(rows.first()).not.toContainText(alice.userId);
  await expect(rows.first().getByRole("link", { name: "audit-alice" }).first()).toHaveAttribute("href", `/admin/users/${alice.userId}`);
  await expect(page.getByTestId("audit-row").filter({ hasText: "bob laptop" })).toHaveCount(0);
  expect(await tableFits(page)).toEqual({ clipped: false, focusable: true, pageScrolls: false });

  // The action list is grouped and in words: no raw code is offered.
  const groups = await page
    .getByLabel("Action")
    .locator("optgroup")
    .evaluateAll((els) => els.map((el) => el.getAttribute("label")));
  expect(groups).toContain("Personal access tokens");
  const optionTexts = await page.getByLabel("Action").locator("option").allTextContents();
  expect(optionTexts.filter((text) => /^[a-z_]+\.[a-z_]+$/.test(text))).toEqual([]);

  // Unfiltered at 1280 and on a phone: no clipping, no sideways page.
  await page.goto("/admin/audit");
  expect(await tableFits(page)).toEqual({ clipped: false, focusable: true, pageScrolls: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect((await tableFits(page)).pageScrolls).toBe(false);
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  await page.context().close();
});

test("a person reads their own security log from the header, filters by kind, and sees nobody else's events", async ({ browser, request, baseURL }) => {
  const carol = await plantUser("seclog-carol");
  const dave = await plantUser("seclog-dave");
  const same = { origin: baseURL!, "sec-fetch-site": "same-origin" };
  await createPat(request, { cookie: carol.cookie, ...same }, { name: "carol backup script", scopes: ["profile:read"], expiresInDays: 7 });
  await createPat(request, { cookie: dave.cookie, ...same }, { name: "dave private thing", scopes: ["profile:read"], expiresInDays: 7 });

  const page = await signedInPage(browser, carol.sessionToken, baseURL!);
  await page.goto("/settings/tokens");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Security" }).click();
  await page.waitForURL("**/settings/security");
  await expect(page.getByRole("heading", { name: "Security log" })).toBeVisible();
  const row = page.getByTestId("audit-row").filter({ hasText: "carol backup script" });
  await expect(row).toContainText("Token created");
  await expect(row).toContainText("You");
  await expect(page.getByText("dave private thing")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Filter by kind" }).getByRole("link", { name: "Connected accounts" }).click();
  await page.waitForURL(/kind=connections/);
  await expect(page.getByText("No events of this kind on your account.")).toBeVisible();
  await page.getByRole("link", { name: "Personal access tokens" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: "carol backup script" })).toBeVisible();

  // Signed out: off to sign in, back here afterwards.
  const anonymous = await browser.newPage();
  await anonymous.goto("/settings/security");
  await expect(anonymous).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Fsecurity/);
  await anonymous.close();
  await page.context().close();
});

test("a link to one person's events shows who it is about, or by, in words, each with a way to remove it", async ({ browser, baseURL }) => {
  const admin = await plantUser("audit-chips-admin", "ADMIN");
  const carol = await plantUser("audit-chips-carol");
  const page = await signedInPage(browser, admin.sessionToken, baseURL!);
  await page.goto(`/admin/audit?subject=${carol.userId}&actor=${admin.userId}`);
  const chips = page.getByRole("list", { name: "Other filters" }).getByRole("listitem");
  await expect(chips).toHaveText([`About ${carol.email} remove`, `By ${admin.email} remove`]);
  await chips.filter({ hasText: "About" }).getByRole("link", { name: "remove" }).click();
  await page.waitForURL((url) => !url.searchParams.has("subject"));
  expect(new URL(page.url()).searchParams.get("actor")).toBe(admin.userId);
  await expect(page.getByRole("list", { name: "Other filters" }).getByRole("listitem")).toHaveText([`By ${admin.email} remove`]);
});
