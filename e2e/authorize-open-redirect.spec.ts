import { expect, test } from "@playwright/test";
import { plantUser, signIn } from "./support/app";

/*
 * Issue 20 item 2: anyone who can sign in can register an app with any https redirect URI. A link to
 * /oauth/authorize naming that app with a broken parameter must not send a signed-out browser there
 * (Tessera as an open redirector): it signs in first and only then, as a known person, goes back to
 * the registered URI with the error (RFC 6749 §4.1.2.1, RFC 9700 §4.11).
 * The attacker's host is answered here (page.route): the browser never leaves for a real host, and every
 * visit to it is counted. The positive control at the end shows the counter does see a redirect.
 * tests/integration/authorize-open-redirect.test.ts proves the same decision without a browser.
 */

const ATTACKER = "https://attacker.example/landing";

test("a signed-out browser is never sent to a self-registered app's redirect URI, whatever the error", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const attacker = await plantUser("redirect-attacker");
  const context = await browser.newContext();
  const page = await context.newPage();
  const registered = await page.request.post("/api/applications", {
    headers: { cookie: attacker.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    data: { name: "Open Redirect Probe", redirectUris: [ATTACKER], confidential: false },
  });
  expect(registered.status()).toBe(201);
  const { clientId } = (await registered.json()) as { clientId: string };

  const visits: string[] = [];
  await page.route("https://attacker.example/**", (route) => {
    visits.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<p id=landed>attacker landing</p>" });
  });

  const base = {
    client_id: clientId,
    redirect_uri: ATTACKER,
    response_type: "code",
    scope: "profile:read",
    state: "s",
    code_challenge: "x".repeat(43),
    code_challenge_method: "S256",
  };
  const broken: Record<string, string>[] = [
    { ...base, response_type: "token" },
    { ...base, code_challenge_method: "plain" },
    { ...base, state: "x".repeat(501) },
    { ...base, scope: "admin" }, // last: the positive control below continues from it
  ];
  for (const params of broken) {
    await page.goto(`/oauth/authorize?${new URLSearchParams(params)}`);
    await page.waitForURL("**/signin?**");
    expect(new URL(page.url()).host, JSON.stringify(params)).toBe(new URL(baseURL!).host);
    expect(visits, JSON.stringify(params)).toEqual([]);
  }

  // Positive control: once the person is signed in, the same request goes back to the registered URI with the error.
  // (Signed in first, then the link opened: ending the sign-in's own redirect chain at a third-party host is refused
  // by the demo IdP's CSP form-action, which a real provider's page would not set for Tessera's callback.)
  await signIn(page, "github", "redirect-victim");
  expect(visits).toEqual([]);
  // goto() itself may report the fulfilled cross-site hop as a failed navigation: the landing is what counts.
  await page.goto(`/oauth/authorize?${new URLSearchParams(broken.at(-1)!)}`).catch(() => undefined);
  await page.waitForURL(`${ATTACKER}?**`);
  await expect(page.locator("#landed")).toBeVisible();
  const landed = new URL(page.url());
  expect(landed.searchParams.get("error")).toBe("invalid_scope");
  expect(landed.searchParams.get("state")).toBe("s");
  expect(visits).toHaveLength(1);
  await context.close();
});
