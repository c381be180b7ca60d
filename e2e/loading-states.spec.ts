import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { plantUser } from "./support/app";
import { createPat, recordTestTokens } from "./support/issued-tokens";

/*
 * Issue 25 §2 and §13: the audit log's events (about 2 s on a big log) stream in behind a skeleton that says what is
 * loading, while the heading and the filters are already there. The section is held, not slowed by a clock: the web server (playwright.config.ts, and only there)
 * sets TESSERA_E2E_SECTION_HOLD_DIR, the test's cookie names the section, and the section renders when the test
 * writes its release file (lib/ui/hold-section-for-e2e.ts). The skeletons sit below the admin check: a non-admin
 * still gets a real 404.
 */
const HOLD_DIR = path.resolve(".data/e2e-section-holds");

async function contextFor(browser: Browser, sessionToken: string, baseURL: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: sessionToken, url: baseURL }]);
  return context;
}

/** Holds `section` on every page this context loads next, until the returned function is called. */
async function holdSection(context: BrowserContext, baseURL: string, section: string): Promise<() => void> {
  const token = randomBytes(16).toString("hex");
  await context.addCookies([{ name: "tessera-e2e-hold", value: `${section}.${token}`, url: baseURL }]);
  return () => {
    mkdirSync(HOLD_DIR, { recursive: true });
    writeFileSync(path.join(HOLD_DIR, token), "");
  };
}

test("the audit log shows its heading and filters at once, a labelled skeleton while the events load, then the events", async ({
  browser,
  request,
  baseURL,
}) => {
  const admin = await plantUser("loading-admin", "ADMIN");
  // Something to list: a person's new token (an audit event).
  const person = await plantUser("loading-audited");
  await createPat(
    request,
    { cookie: person.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    { name: "loading-pat", scopes: ["profile:read"], expiresInDays: 7 },
  );
  const context = await contextFor(browser, admin.sessionToken, baseURL!);
  const page = await context.newPage();
  const release = await holdSection(context, baseURL!, "audit-events");

  // The document is still arriving: do not wait for its load event.
  await page.goto("/admin/audit", { waitUntil: "commit" });
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByRole("search", { name: "Filter the audit log" })).toBeVisible();
  const skeleton = page.getByRole("status").filter({ hasText: "Loading audit events…" });
  await expect(skeleton).toBeVisible();
  await expect(skeleton).toHaveAttribute("aria-busy", "true");
  await expect(page.getByRole("region", { name: "Audit events" })).toHaveCount(0);

  release();
  await expect(page.getByRole("region", { name: "Audit events" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Audit events" })).toContainText("loading-pat");
  await expect(skeleton).toHaveCount(0);
  await context.close();
});

test("moving from the overview to the audit log shows the log's skeleton at once, then its events", async ({ browser, baseURL }) => {
  const admin = await plantUser("loading-nav-admin", "ADMIN");
  const context = await contextFor(browser, admin.sessionToken, baseURL!);
  const page = await context.newPage();
  await page.goto("/admin");
  await expect(page.getByTestId("stat-users")).toBeVisible();
  const release = await holdSection(context, baseURL!, "audit-events");

  await page.getByRole("link", { name: "Audit log", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByLabel("Person (email)")).toBeVisible();
  const skeleton = page.getByRole("status").filter({ hasText: "Loading audit events…" });
  await expect(skeleton).toBeVisible();
  await expect(page.getByTestId("stat-users")).toHaveCount(0);

  release();
  await expect(page.getByRole("region", { name: "Audit events" })).toBeVisible();
  await expect(skeleton).toHaveCount(0);
  await context.close();
});

test("a non-admin asking for an admin page gets a real 404, not a streamed page with a skeleton", async ({ browser, request, baseURL }) => {
  const admin = await plantUser("loading-404-admin", "ADMIN");
  const created = await request.post("/api/admin/webhooks", {
    headers: { cookie: admin.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    data: { url: "http://127.0.0.1:9/loading-404", events: ["pat.revoked"] },
  });
  expect(created.status()).toBe(201);
  const webhook = (await created.json()) as { id: string; secret: string };
  recordTestTokens(webhook.secret);

  const user = await plantUser("loading-404-user");
  const context = await contextFor(browser, user.sessionToken, baseURL!);
  const page = await context.newPage();
  await holdSection(context, baseURL!, "audit-events");
  for (const pagePath of ["/admin", "/admin/users", "/admin/audit", `/admin/webhooks/${webhook.id}`]) {
    const answer = await page.goto(pagePath);
    expect(answer?.status(), pagePath).toBe(404);
    expect(await answer!.text(), pagePath).not.toContain("loading-skeleton");
  }
  await context.close();
});
