import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import * as client from "openid-client";
import { completeIdpLogin, plantUser } from "./support/app";
import { recordTestTokens } from "./support/issued-tokens";

/*
 * Issue 22 item 7 in a browser: the device authorization grant (RFC 8628) the way a CLI uses it. openid-client v6
 * starts a device authorization and polls the token endpoint; a person opens verification_uri in Chromium, signs
 * in, types the user code at /device, sees the consent and decides. tests/integration/oauth-device-flow.test.ts
 * covers the grant's rules against route handlers; this spec is the only one that renders the /device page.
 * Every device code and token is recorded for the log scan. The user code is not: it is 9 characters, and
 * log-scan.spec.ts wants 24 or more for a distinctive piece.
 */

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

/** A developer registers a public app (no secret: a CLI cannot keep one). */
async function registerPublicApp(request: APIRequestContext, baseURL: string, name: string): Promise<string> {
  const developer = await plantUser("device-developer");
  const created = await request.post("/api/applications", {
    headers: { cookie: developer.cookie, origin: baseURL, "sec-fetch-site": "same-origin" },
    data: { name, redirectUris: ["http://127.0.0.1/callback"], confidential: false },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { clientId: string }).clientId;
}

/** The CLI's side: discovery (RFC 8414), then the device authorization request. */
async function startOnDevice(baseURL: string, clientId: string, scope: string) {
  // Tessera is an OAuth server, not an OpenID provider: discovery reads /.well-known/oauth-authorization-server.
  const config = await client.discovery(new URL(baseURL), clientId, undefined, client.None(), {
    algorithm: "oauth2",
    execute: [client.allowInsecureRequests],
  });
  const metadata = config.serverMetadata();
  expect(metadata.device_authorization_endpoint).toBe(`${baseURL}/api/oauth/device_authorization`);
  expect(metadata.grant_types_supported).toContain(DEVICE_GRANT);
  const started = await client.initiateDeviceAuthorization(config, { scope });
  recordTestTokens(started.device_code);
  expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
  expect(started.verification_uri).toBe(`${baseURL}/device`);
  expect(started.interval).toBe(5);
  // Polling starts at once, as a CLI's would; a rejection is kept for the test to await (never unhandled).
  // No time budget of its own: a fixed 90 s ran out on a loaded CI machine while the person was still signing in
  // (the test's own timeout bounds the wait); the test stops the poll when it ends.
  const stop = new AbortController();
  const polled = client.pollDeviceAuthorizationGrant(config, started, undefined, { signal: stop.signal }).then(
    (tokens) => {
      recordTestTokens(tokens.access_token, tokens.refresh_token ?? "");
      return { ok: true as const, tokens };
    },
    (error: unknown) => ({ ok: false as const, error: (error as { error?: string }).error ?? String(error) }),
  );
  return { config, started, polled, stopPolling: () => stop.abort() };
}

/** One poll by hand, outside openid-client's loop: what the token endpoint says about this device code now. */
async function pollOnce(baseURL: string, clientId: string, deviceCode: string): Promise<string | undefined> {
  const response = await fetch(`${baseURL}/api/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId }),
  });
  const body = (await response.json()) as { error?: string; access_token?: string; refresh_token?: string };
  recordTestTokens(body.access_token ?? "", body.refresh_token ?? "");
  return body.error;
}

/** Types a code into /device's form as a person would. */
async function enterCode(page: Page, typed: string) {
  await page.getByTestId("device-user-code").fill(typed);
  await page.getByRole("button", { name: "Continue", exact: true }).click();
}

test("device flow: a CLI starts, a signed-out person signs in at verification_uri, types the code in lower case, approves; the poll gets tokens for /api/v1/me", async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  const appName = "E2E Device CLI";
  const clientId = await registerPublicApp(request, base, appName);
  const { started, polled, stopPolling } = await startOnDevice(base, clientId, "profile:read connections:read");

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // The plain verification_uri (the CLI prints it and the code): signed out, so off to sign in first.
    await page.goto(started.verification_uri);
    await page.waitForURL("**/signin?**");
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/device");
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await completeIdpLogin(page, "device-person");
    await page.waitForURL((url) => url.pathname === "/device");
    await expect(page.getByTestId("consent-app-name")).toHaveCount(0);

    // Typed as people type it: lower case, no dash (RFC 8628 §6.1).
    await enterCode(page, started.user_code.replace("-", "").toLowerCase());
    await expect(page.getByTestId("consent-app-name")).toHaveText(appName);
    // The consent names the code in its shown form, so the person can compare it with the device's.
    await expect(page.getByTestId("device-code-check")).toContainText(started.user_code);
    await expect(page.getByTestId("consent-unregistered")).toHaveCount(0);
    const scopes = page.getByTestId("consent-scopes");
    await expect(scopes).toContainText("profile:read");
    await expect(scopes).toContainText("connections:read");
    await expect(page.locator("p", { hasText: "wants to use Tessera" })).toContainText("as device-person@example.com");
    // Nothing is decided by merely looking: the device is still waiting.
    expect(await pollOnce(base, clientId, started.device_code)).toMatch(/^(authorization_pending|slow_down)$/);

    await page.getByRole("button", { name: `Authorize ${appName}` }).click();
    await expect(page.getByTestId("notice")).toContainText("Device authorized");
    await expect(page.getByTestId("consent-app-name")).toHaveCount(0);

    const result = await polled;
    expect(result.ok ? "tokens" : result.error).toBe("tokens");
    const tokens = result.ok ? result.tokens : null;
    expect(tokens!.token_type.toLowerCase()).toBe("bearer");
    expect(tokens!.access_token).toMatch(/^tsr_oat_/);
    expect(tokens!.scope).toBe("profile:read connections:read");
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${tokens!.access_token}` } });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { email: string; application?: { clientId: string; name: string } };
    expect(body.email).toBe("device-person@example.com");
    expect(body.application).toEqual({ clientId, name: appName });

    // The code was used: typing it again shows the error, not the consent.
    await page.goto("/device");
    await enterCode(page, started.user_code);
    await expect(page.getByTestId("notice")).toContainText("That code is not valid");
    await expect(page.getByTestId("consent-app-name")).toHaveCount(0);
  } finally {
    stopPolling();
    await context.close();
  }
});

test("device flow: a wrong code shows an error and approves nothing; Deny ends the poll with access_denied", async ({ browser, baseURL, request }) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  const appName = "E2E Device Denied";
  const clientId = await registerPublicApp(request, base, appName);
  const { started, polled, stopPolling } = await startOnDevice(base, clientId, "profile:read");

  const person = await plantUser("device-denier");
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: person.sessionToken, url: base }]);
  try {
    const page = await context.newPage();
    await page.goto(started.verification_uri);
    await expect(page.getByTestId("device-user-code")).toBeVisible();

    // A near miss: the right code with its first character changed (still well-formed, so it is looked up).
    const first = started.user_code[0]!;
    const wrong = USER_CODE_ALPHABET[(USER_CODE_ALPHABET.indexOf(first) + 1) % USER_CODE_ALPHABET.length] + started.user_code.slice(1);
    await enterCode(page, wrong);
    await expect(page.getByTestId("notice")).toContainText("That code is not valid, has expired, or was already used");
    await expect(page.getByTestId("consent-app-name")).toHaveCount(0);
    await expect(page.getByTestId("device-user-code")).toBeVisible();
    // Nothing was approved: the device is still waiting (slow_down if openid-client's own poll came just before).
    expect(await pollOnce(base, clientId, started.device_code)).toMatch(/^(authorization_pending|slow_down)$/);

    // The right code, then Deny.
    await enterCode(page, started.user_code);
    await expect(page.getByTestId("consent-app-name")).toHaveText(appName);
    await page.getByRole("button", { name: "Deny", exact: true }).click();
    await expect(page.getByTestId("notice")).toContainText("Request denied");

    const result = await polled;
    expect(result.ok ? "tokens" : result.error).toBe("access_denied");
    // A denied code cannot be approved afterwards.
    await page.goto(`/device?user_code=${started.user_code}`);
    await expect(page.getByTestId("notice")).toContainText("That code is not valid");
    await expect(page.getByTestId("consent-app-name")).toHaveCount(0);
  } finally {
    stopPolling();
    await context.close();
  }
});
