import { expect, test, type Browser } from "@playwright/test";
import { auth, discoverOAuthServerInfo, extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { completeIdpLogin, plantUser } from "./support/app";
import { MemoryOAuthProvider, recordingFetch, startClientMetadataHost, startLoopbackCallback, type LoopbackCallback } from "./support/mcp-client";

/*
 * Issue 22's proof: an MCP client built on the official TypeScript SDK (@modelcontextprotocol/sdk, its auth())
 * connects to Tessera knowing nothing but the API's URL. It is refused with 401 and a resource_metadata link
 * (RFC 9728 §5.1), follows it to the protected-resource metadata, then to the authorization server metadata
 * (RFC 8414), sends a person through sign-in and consent in Chromium, redeems the code with PKCE and
 * `resource` (RFC 8707) and reads /api/v1/me. Its redirect is a loopback listener on a port the OS picks
 * (RFC 8252 §7.3), registered without a port. Three ways to be a client: registered by hand, registering itself
 * (RFC 7591), and naming its client ID metadata document (CIMD). The SDK accepts only an https document URL,
 * so the last test serves it from 127.0.0.1 with a test-only certificate (e2e/support/cimd-tls), and runs only
 * when the server under test trusts it and allows loopback document hosts (see the skip below).
 */

/** 401 from the API → the resource metadata URL its WWW-Authenticate names. */
async function discoverFromApi(base: string): Promise<URL> {
  const refused = await fetch(`${base}/api/v1/me`);
  expect(refused.status).toBe(401);
  const { resourceMetadataUrl } = extractWWWAuthenticateParams(refused);
  expect(resourceMetadataUrl?.href).toBe(`${base}/.well-known/oauth-protected-resource/api/v1`);
  return resourceMetadataUrl!;
}

/** A signed-out person opens the SDK's authorization URL, signs in at the demo IdP, consents: the code reaches the loopback listener. */
async function consentInBrowser(
  browser: Browser,
  authorizationUrl: URL,
  login: string,
  appName: string,
  callback: LoopbackCallback,
  selfRegistered = false,
): Promise<URL> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await page.waitForURL("**/signin?**");
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await completeIdpLogin(page, login);
    await page.waitForURL("**/oauth/authorize?**");
    await expect(page.getByTestId("consent-app-name")).toHaveText(appName);
    await expect(page.getByTestId("consent-redirect-host")).toHaveText(new URL(callback.redirectUrl).host);
    // A client that registered itself is flagged as such: its name is its own claim.
    if (selfRegistered) await expect(page.getByTestId("consent-unregistered")).toBeVisible();
    else await expect(page.getByTestId("consent-unregistered")).toHaveCount(0);
    await page.getByRole("button", { name: `Authorize ${appName}` }).click();
    await page.waitForURL(`${callback.redirectUrl}?**`);
    await expect(page.locator("#result")).toContainText("Authorized");
    return await callback.received;
  } finally {
    await context.close();
  }
}

/** The authorization response the SDK's caller checks before handing the code back to auth(). */
function expectAuthorizationResponse(response: URL, provider: MemoryOAuthProvider, issuer: string): string {
  expect(response.searchParams.get("error")).toBeNull();
  expect(response.searchParams.get("state")).toBe(provider.sentState);
  expect(response.searchParams.get("iss")).toBe(issuer);
  const code = response.searchParams.get("code");
  expect(code).toBeTruthy();
  return code!;
}

async function expectMe(base: string, provider: MemoryOAuthProvider, email: string, appName: string) {
  const tokens = provider.tokens();
  expect(tokens?.token_type.toLowerCase()).toBe("bearer");
  const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${tokens!.access_token}` } });
  expect(me.status).toBe(200);
  const body = (await me.json()) as { email: string; application?: { name: string; clientId: string } };
  expect(body.email).toBe(email);
  expect(body.application?.name).toBe(appName);
  return body.application!.clientId;
}

test("the MCP SDK's auth(): a client registered by hand, loopback redirect on a random port, discovery from a 401, consent, resource, /api/v1/me, refresh", async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const apiUrl = `${base}/api/v1`;
  const callback = await startLoopbackCallback();
  try {
    // A developer registers a public app; its loopback redirect carries no port, the client picks one at run time.
    const developer = await plantUser("mcp-developer");
    const created = await request.post("/api/applications", {
      headers: { cookie: developer.cookie, origin: base, "sec-fetch-site": "same-origin" },
      data: { name: "E2E MCP Client", redirectUris: ["http://127.0.0.1/callback"], confidential: false },
    });
    expect(created.status()).toBe(201);
    const { clientId } = (await created.json()) as { clientId: string };

    // Discovery the SDK's way, from the API's URL alone (the path-inserted RFC 9728 URL), agrees with the 401's link.
    const resourceMetadataUrl = await discoverFromApi(base);
    const info = await discoverOAuthServerInfo(apiUrl);
    expect(info.resourceMetadata?.resource).toBe(apiUrl);
    expect(String(info.authorizationServerUrl).replace(/\/$/, "")).toBe(base);
    expect(info.authorizationServerMetadata?.issuer).toBe(base);

    const provider = new MemoryOAuthProvider(
      callback.redirectUrl,
      { client_name: "E2E MCP Client", redirect_uris: [callback.redirectUrl], token_endpoint_auth_method: "none" },
      { clientInformation: { client_id: clientId } },
    );
    const recorder = recordingFetch();
    const options = { serverUrl: apiUrl, resourceMetadataUrl, fetchFn: recorder.fetchFn };
    expect(await auth(provider, options)).toBe("REDIRECT");
    // 401's link → PRM → AS metadata, nothing else (no registration: the client is known).
    expect(recorder.requests.map((entry) => `${entry.method} ${entry.url} ${entry.status}`)).toEqual([
      `GET ${resourceMetadataUrl.href} 200`,
      `GET ${base}/.well-known/oauth-authorization-server 200`,
    ]);
    const authorizationUrl = provider.authorizationUrl!;
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${base}/oauth/authorize`);
    expect(authorizationUrl.searchParams.get("client_id")).toBe(clientId);
    expect(authorizationUrl.searchParams.get("resource")).toBe(apiUrl);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("redirect_uri")).toBe(callback.redirectUrl);

    const response = await consentInBrowser(browser, authorizationUrl, "mcp-person", "E2E MCP Client", callback);
    const code = expectAuthorizationResponse(response, provider, base);
    expect(await auth(provider, { ...options, authorizationCode: code })).toBe("AUTHORIZED");
    const tokenRequest = recorder.requests.find((entry) => entry.form?.get("grant_type") === "authorization_code");
    expect(tokenRequest?.status).toBe(200);
    expect(tokenRequest?.form?.get("resource")).toBe(apiUrl);
    expect(tokenRequest?.form?.get("client_id")).toBe(clientId);
    expect(await expectMe(base, provider, "mcp-person@example.com", "E2E MCP Client")).toBe(clientId);

    // Next session: the SDK refreshes (with the same resource) instead of asking the person again.
    const before = provider.tokens()!.access_token;
    expect(await auth(provider, options)).toBe("AUTHORIZED");
    const refresh = recorder.requests.find((entry) => entry.form?.get("grant_type") === "refresh_token");
    expect(refresh?.status).toBe(200);
    expect(refresh?.form?.get("resource")).toBe(apiUrl);
    expect(provider.tokens()!.access_token).not.toBe(before);
    await expectMe(base, provider, "mcp-person@example.com", "E2E MCP Client");
  } finally {
    await callback.close();
  }
});

test("the MCP SDK's auth(): dynamic client registration (RFC 7591), consent, resource, /api/v1/me", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const apiUrl = `${base}/api/v1`;
  const metadata = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as { registration_endpoint?: string };
  test.skip(!metadata.registration_endpoint, "this server advertises no registration_endpoint");
  const callback = await startLoopbackCallback();
  try {
    const resourceMetadataUrl = await discoverFromApi(base);
    const provider = new MemoryOAuthProvider(callback.redirectUrl, {
      client_name: "E2E MCP Dynamic",
      redirect_uris: [callback.redirectUrl],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    const recorder = recordingFetch();
    const options = { serverUrl: apiUrl, resourceMetadataUrl, fetchFn: recorder.fetchFn };
    expect(await auth(provider, options)).toBe("REDIRECT");
    const registration = recorder.requests.find((entry) => entry.url === metadata.registration_endpoint);
    expect(registration?.status).toBe(201);
    const clientId = provider.clientInformation()!.client_id;
    expect(clientId).toMatch(/^tsr_app_/);
    expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(clientId);
    expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(apiUrl);

    // The consent screen says the app registered itself, and names where it sends the person.
    const response = await consentInBrowser(browser, provider.authorizationUrl!, "mcp-dcr-person", "E2E MCP Dynamic", callback, true);
    const code = expectAuthorizationResponse(response, provider, base);
    expect(await auth(provider, { ...options, authorizationCode: code })).toBe("AUTHORIZED");
    expect(recorder.requests.find((entry) => entry.form?.get("grant_type") === "authorization_code")?.form?.get("resource")).toBe(apiUrl);
    expect(await expectMe(base, provider, "mcp-dcr-person@example.com", "E2E MCP Dynamic")).toBe(clientId);
  } finally {
    await callback.close();
  }
});

test("the MCP SDK's auth(): a client ID metadata document (https URL as client_id), consent, resource, /api/v1/me", async ({ browser, baseURL, request }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const apiUrl = `${base}/api/v1`;
  const metadata = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as { client_id_metadata_document_supported?: boolean };
  test.skip(metadata.client_id_metadata_document_supported !== true, "this server does not advertise client_id_metadata_document_supported");
  const callback = await startLoopbackCallback();
  const host = await startClientMetadataHost((clientId) => ({
    client_id: clientId,
    client_name: "E2E MCP Metadata Client",
    redirect_uris: [callback.redirectUrl],
    token_endpoint_auth_method: "none",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  }));
  try {
    const resourceMetadataUrl = await discoverFromApi(base);
    const provider = new MemoryOAuthProvider(
      callback.redirectUrl,
      { client_name: "E2E MCP Metadata Client", redirect_uris: [callback.redirectUrl], token_endpoint_auth_method: "none" },
      { clientMetadataUrl: host.clientId },
    );
    const recorder = recordingFetch();
    const options = { serverUrl: apiUrl, resourceMetadataUrl, fetchFn: recorder.fetchFn };
    expect(await auth(provider, options)).toBe("REDIRECT");
    // No registration: the URL is the client_id.
    expect(recorder.requests.map((entry) => entry.method)).toEqual(["GET", "GET"]);
    expect(provider.authorizationUrl!.searchParams.get("client_id")).toBe(host.clientId);
    expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(apiUrl);

    // Tessera fetches a document only for someone signed in (never for any visitor a link reaches), and refuses
    // loopback document hosts unless told otherwise (an SSRF guard): this run's server may not be.
    const prober = await plantUser("mcp-cimd-prober");
    const probe = await (await request.get(provider.authorizationUrl!.href, { headers: { cookie: prober.cookie }, maxRedirects: 0 })).text();
    test.skip(
      probe.includes("non-public address"),
      "the server under test refuses loopback client metadata hosts: give playwright.config.ts webServer.env TESSERA_CLIENT_METADATA_ALLOW_PRIVATE=1 and NODE_EXTRA_CA_CERTS=e2e/support/cimd-tls/cert.pem",
    );
    expect(probe, "the document is fetched and accepted: the consent screen").toContain('data-testid="consent-app-name"');
    expect(host.fetches()).toBe(1);

    const response = await consentInBrowser(browser, provider.authorizationUrl!, "mcp-cimd-person", "E2E MCP Metadata Client", callback, true);
    const code = expectAuthorizationResponse(response, provider, base);
    expect(await auth(provider, { ...options, authorizationCode: code })).toBe("AUTHORIZED");
    expect(recorder.requests.find((entry) => entry.form?.get("grant_type") === "authorization_code")?.form?.get("client_id")).toBe(host.clientId);
    expect(await expectMe(base, provider, "mcp-cimd-person@example.com", "E2E MCP Metadata Client")).toBe(host.clientId);
    // The stored copy is used while fresh (max-age=300): one fetch for the whole flow.
    expect(host.fetches()).toBe(1);
  } finally {
    await Promise.all([callback.close(), host.close()]);
  }
});
