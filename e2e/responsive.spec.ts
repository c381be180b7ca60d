import { expect, test, type Browser, type Page } from "@playwright/test";
import { plantUser } from "./support/app";
import { createPat } from "./support/issued-tokens";
import { ADMIN_EMPTY_PATHS, SIGNED_OUT_PATHS, adminWithData, userWithData, userWithoutData } from "./support/page-walk";

/*
 * Issue 25 §1: on a phone (390 px wide) no page scrolls sideways, the buttons that end things (Revoke,
 * Regenerate, Delete, Disable…) sit on screen, and the notifications menu opens on screen. Every page a
 * signed-out person, a user and an admin can reach is visited with data in it (a PAT, an application, a
 * service that used the user's token, a webhook, audit entries), so tables and cards have rows to be wide with.
 */
const PHONE = { width: 390, height: 844 };
const ACTIONS = /^(Revoke|Regenerate|Delete|Disable|Rotate secret|Revoke all|End sessions|Block)\b/;

type Widths = { page: string; scrollWidth: number; innerWidth: number; offscreen: string[]; culprits: string[] };

/** The page's width against the viewport's, and which action buttons start or end outside the screen. */
async function measure(page: Page, path: string): Promise<Widths> {
  const response = await page.goto(path);
  expect(response?.status(), `${path} loads`).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
  const widths = await page.evaluate((pattern) => {
    const re = new RegExp(pattern);
    const offscreen = [...document.querySelectorAll<HTMLElement>("button, a[role=button]")]
      .filter((el) => re.test((el.textContent ?? "").trim()) && el.offsetParent !== null && !el.closest("dialog:not([open]), details:not([open])"))
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth;
      })
      .map((el) => `${(el.textContent ?? "").trim()} at x=${Math.round(el.getBoundingClientRect().left)}`);
    // The innermost elements that stick out past the right edge (none of their children does): where to look first.
    const clipped = (el: HTMLElement) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== "visible") return true;
      return false;
    };
    // An element sticks out with its box or with its own text (a long word overflows a box that fits).
    const sticksOut = (el: Element) => el.getBoundingClientRect().left + Math.max(el.getBoundingClientRect().width, el.scrollWidth) > window.innerWidth + 0.5;
    const culprits = [...document.body.querySelectorAll<HTMLElement>("*")]
      .filter((el) => sticksOut(el) && !clipped(el))
      .filter((el) => ![...el.children].some(sticksOut))
      .slice(0, 3)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(el.getBoundingClientRect().right)}px`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, offscreen, culprits };
  }, ACTIONS.source);
  return { page: path, ...widths };
}

/** Visits every path and fails once, listing each page that is wider than the screen or hides an action off it. */
async function expectFitsPhone(browser: Browser, cookie: string | null, paths: string[], baseURL: string) {
  const context = await browser.newContext({ viewport: PHONE });
  if (cookie) await context.addCookies([{ name: "authjs.session-token", value: cookie, url: baseURL }]);
  const page = await context.newPage();
  const problems: string[] = [];
  for (const path of paths) {
    const widths = await measure(page, path);
    if (widths.scrollWidth > widths.innerWidth)
      problems.push(`${path}: scrollWidth ${widths.scrollWidth} > innerWidth ${widths.innerWidth}; sticking out: ${widths.culprits.join(" | ")}`);
    if (widths.offscreen.length) problems.push(`${path}: off screen: ${widths.offscreen.join(", ")}`);
  }
  await context.close();
  expect(problems, "pages that do not fit a 390 px phone").toEqual([]);
}

test.describe.configure({ timeout: 240_000 });

test("signed out: the landing, sign-in and API pages fit a phone", async ({ browser, baseURL }) => {
  await expectFitsPhone(browser, null, SIGNED_OUT_PATHS, baseURL!);
});

test("a user with tokens, an application and a service using their Google token: every page fits a phone", async ({ browser, request, baseURL }) => {
  const user = await userWithData(request, baseURL!, "phone-user");
  await expectFitsPhone(browser, user.sessionToken, user.paths, baseURL!);
});

test("a user with nothing yet: every page fits a phone", async ({ browser, baseURL }) => {
  const user = await userWithoutData("phone-empty");
  await expectFitsPhone(browser, user.sessionToken, user.paths, baseURL!);
});

test("an admin with a service, an application and a webhook: every admin page fits a phone", async ({ browser, request, baseURL }) => {
  const admin = await adminWithData(request, baseURL!, "phone-admin");
  await expectFitsPhone(browser, admin.sessionToken, [...admin.paths, ...ADMIN_EMPTY_PATHS], baseURL!);
});

test("the notifications menu opens on screen on a phone", async ({ browser, request, baseURL }) => {
  const user = await plantUser("phone-bell");
  const headers = { cookie: user.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" };
  const leaked = await createPat(request, headers, { name: "bell test token", scopes: ["profile:read"], expiresInDays: 7 });
  expect((await request.post("/api/credentials/report-leak", { data: { tokens: [leaked] } })).status()).toBe(202);
  const context = await browser.newContext({ viewport: PHONE });
  await context.addCookies([{ name: "authjs.session-token", value: user.sessionToken, url: baseURL! }]);
  const page = await context.newPage();
  await page.goto("/settings/connections");
  const menu = page.getByTestId("notifications-menu");
  await menu.locator("summary").click();
  const panel = menu.getByTestId("notifications-panel");
  await expect(panel).toBeVisible();
  const box = (await panel.boundingBox())!;
  expect(box.x, "the menu's left edge is on screen").toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, "the menu's right edge is on screen").toBeLessThanOrEqual(PHONE.width);
  await context.close();
});
