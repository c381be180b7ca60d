import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { expect, request as playwrightRequest, test, type APIResponse, type Browser, type Page } from "@playwright/test";
import { revokeTokenAtIdp } from "../lib/idp/testing/obtain-tokens-by-code-flow";
import { DEMO_CLIENT_IDS } from "../lib/providers/catalog";
import { WEBHOOK_EVENTS } from "../lib/audit/webhook-events";
import {
  allStoredTokenValues,
  connectionCard,
  createServiceClientAsAdmin,
  IDP_ISSUER,
  IDP_SECRET,
  introspect,
  obtainDemoTokens,
  plantUser,
  readStoredToken,
} from "./support/app";
import {
  createPat,
  distinctivePiece,
  LOG_CONTROL_FILE,
  prefixOf,
  readAllIssuedTokens,
  readIdpIssuedTokens,
  recordTestTokens,
  spoiled,
} from "./support/issued-tokens";

/*
 * The guard: real demo-IdP tokens (and made-up ones) planted for known users, then every path that
 * decrypts them is driven — the token exchange at /api/oauth/token (success after a real refresh at the IdP,
 * invalid_request needs_reconnect, temporarily_unavailable), client_credentials, introspection, revocation,
 * discovery, disconnect and revoke-all (server actions in Chromium, and the admin
 * API), a third-party application's registration, consent (Chromium), code, refresh, replay and reuse,
 * introspection and revocation — next to a sweep of every page and route as owner (session, PAT, X-API-Key), another user,
 * an admin, signed out and with a bad PAT. No response body or header may contain any token value issued
 * during the run (or its last 12 characters), except the successful exchange's `access_token` field, the
 * client_credentials response's service token, the admin's one-time client secret, an application's
 * one-time secret and its tokens in the token endpoint's answers to it (all masked here,
 * all recorded so log-scan.spec.ts looks for them).
 * The app log is searched by log-scan.spec.ts, after every spec.
 *
 * Mutation check (done once, red, restored): in lib/oauth/grants/token-exchange.ts (then handle-token-request.ts), returning the
 * stored refresh token next to `access_token` in the exchange's oauthJson fails
 * "the exchange body holds the access token and nothing else"; the leak check fails on the value too.
 */
const PAGES = [
  "/",
  "/signin",
  "/docs",
  "/settings/connections",
  "/settings/tokens",
  "/settings/tokens?cursor=pat_unknown",
  "/settings/applications",
  "/settings/applications/authorized",
  "/oauth/authorize",
  "/oauth/authorize?client_id=tsr_app_nothere&redirect_uri=https%3A%2F%2Fguard-app.example%2Fcb",
  "/admin",
  "/admin/users",
  "/admin/audit",
  "/admin/applications",
  "/admin/applications?cursor=app_unknown",
];
const API_GETS = [
  "/api/health",
  "/api/openapi.json",
  "/.well-known/oauth-authorization-server",
  "/api/applications",
  "/api/v1/me",
  "/api/v1/connections",
  "/api/v1/tokens",
  "/api/tokens",
  "/api/tokens?cursor=pat_x",
  "/api/auth/session",
  "/api/auth/providers",
  "/api/auth/csrf",
  "/api/proxy/google/me",
];
// Error pages and error answers: not found, malformed input, wrong method.
const ERRORS = [
  "/does-not-exist",
  "/settings/connections?notice=%E0%A4%A",
  "/admin/users/usr_nobody",
  "/api/v1/does-not-exist",
  "/api/tokens/pat_nothere",
  "/api/v1/connections/%E0%A4%A",
];

type Seen = { where: string; text: string };

async function record(seen: Seen[], where: string, response: APIResponse, text?: string) {
  seen.push({ where: `${where} (${response.status()})`, text: (text ?? (await response.text())) + JSON.stringify(response.headersArray()) });
}

/**
 * GETs every page and route, then the writes a PAT holder can make; the last one revokes the PAT itself.
 * A fresh request context each time: a shared one keeps cookies Auth.js sets, and "signed out" would not be.
 */
async function sweep(baseURL: string, label: string, headers: Record<string, string>, seen: Seen[], extra: string[] = []) {
  const request = await playwrightRequest.newContext({ baseURL });
  for (const path of [...PAGES, ...API_GETS, ...ERRORS, ...extra]) {
    await record(seen, `${label} GET ${path}`, await request.get(path, { headers, maxRedirects: 0 }));
  }
  const writes: [string, string, unknown][] = [
    ["POST", "/api/tokens", { name: "guard", scopes: ["profile:read"], expiresInDays: 1 }],
    ["POST", "/api/tokens", "{broken"],
    ["DELETE", "/api/tokens/pat_nothere", undefined],
    ["POST", "/api/applications", { name: "guard sweep app", redirectUris: ["https://guard-app.example/cb"], confidential: true }],
    ["DELETE", "/api/applications/app_nothere", undefined],
    ["POST", "/api/applications/app_nothere/rotate-secret", {}],
    ["POST", "/settings/connections", "[]"],
    // The OAuth endpoints as this principal (JSON where a form is expected, no client authentication).
    ["POST", "/api/oauth/token", { grant_type: "client_credentials" }],
    ["POST", "/api/oauth/introspect", { token: "x" }],
    ["POST", "/api/oauth/revoke", { token: "x" }],
    // Leak reports take no credential; the answer is the same whatever was sent.
    ["POST", "/api/credentials/report-leak", { tokens: ["tsr_pat_not-a-token", "nothing"] }],
    ["POST", "/api/credentials/report-leak", "{broken"],
    // A PAT regenerates itself (the old value keeps working for the DELETE below); a session gets a 400.
    ["POST", "/api/tokens/current/rotate", { overlapSeconds: 600 }],
    ["POST", "/api/tokens/pat_nothere/rotate", {}],
    ["DELETE", "/api/tokens/current", undefined],
  ];
  for (const [method, path, body] of writes) {
    // The POST to a page carries a made-up server action id: the action error path.
    const actionId: Record<string, string> = path.startsWith("/settings") ? { "next-action": "0".repeat(42) } : {};
    const response = await request.fetch(path, {
      method,
      headers: { ...headers, ...actionId, "content-type": "application/json" },
      data: typeof body === "string" ? body : body ? JSON.stringify(body) : undefined,
      maxRedirects: 0,
    });
    const text = await response.text();
    if (method === "POST" && (path === "/api/tokens" || path.endsWith("/rotate")) && response.status() === 201) {
      // The creation and rotation responses are the one place a new PAT is shown, to its creator: recorded, then masked.
      recordTestTokens(JSON.parse(text).token);
      await record(seen, `${label} ${method} ${path}`, response, JSON.stringify({ ...JSON.parse(text), token: "[new token]" }));
    } else if (method === "POST" && path === "/api/applications" && response.status() === 201) {
      // Likewise the one place a new application's secret is shown.
      recordTestTokens(JSON.parse(text).clientSecret);
      await record(seen, `${label} ${method} ${path}`, response, JSON.stringify({ ...JSON.parse(text), clientSecret: "[new secret]" }));
    } else {
      await record(seen, `${label} ${method} ${path}`, response, text);
    }
  }
  await request.dispose();
}

function expectControl(seen: Seen[], label: string, request: string, status = 200) {
  const answers = seen.filter((s) => s.where.startsWith(`${label} ${request} (`)).map((s) => s.where);
  expect(answers, `positive control: ${label} gets a ${status} for ${request}`).toContain(`${label} ${request} (${status})`);
}

/**
 * Every response a Chromium page receives (pages, RSC payloads of server actions, redirects), bodies
 * included; the built static assets are skipped (compiled before any token existed).
 */
function captureResponses(page: Page, label: string, seen: Seen[]) {
  const pending: Promise<void>[] = [];
  const actions: string[] = [];
  page.on("response", (response) => {
    if (response.url().includes("/_next/static/")) return;
    pending.push(
      (async () => {
        const isAction = Boolean(response.request().headers()["next-action"]);
        // Redirects have no body to read.
        const text = await response.text().catch(() => "");
        const where = `${label} ${isAction ? "server action " : ""}${response.request().method()} ${new URL(response.url()).pathname} (${response.status()})`;
        if (isAction) actions.push(`${where}: ${text.length} bytes`);
        // allHeaders() needs the page alive; a response that lands while the context closes still has headers().
        const headers = await response.allHeaders().catch(() => response.headers());
        seen.push({ where, text: text + JSON.stringify(headers) });
      })(),
    );
  });
  // Responses keep arriving while earlier ones are read: wait until no new one was added.
  const settled = async () => {
    let count: number;
    do {
      count = pending.length;
      await Promise.all(pending);
    } while (count !== pending.length);
  };
  return { actions, settled };
}

async function openAs(browser: Browser, baseURL: string, sessionToken: string) {
  const context = await browser.newContext();
  await context.addCookies([{ name: "authjs.session-token", value: sessionToken, url: baseURL }]);
  return context;
}

test("no token value leaves Tessera except in the token exchange's access_token", async ({ request, browser, baseURL }) => {
  test.setTimeout(240_000);
  const seen: Seen[] = [];
  const sameOrigin = { origin: baseURL!, "sec-fetch-site": "same-origin" };
  const login = `guard-${randomBytes(4).toString("hex")}`;

  // Real tokens from the e2e demo IdP. Google: stored expired, so the exchange refreshes for real.
  // Microsoft: its grant revoked at the IdP, so the refresh finds a dead grant. GitHub: an empty refresh
  // token, which the IdP answers with invalid_request, a failure the app must call retryable.
  const google = await obtainDemoTokens("google", login, baseURL!);
  const microsoft = await obtainDemoTokens("microsoft-entra-id", login, baseURL!);
  expect(await revokeTokenAtIdp(IDP_ISSUER, DEMO_CLIENT_IDS["microsoft-entra-id"], IDP_SECRET, microsoft.refresh_token!)).toBe(200);
  const github = await obtainDemoTokens("github", login, baseURL!);
  const owner = await plantUser("guard-owner", "USER", {
    expired: true,
    providers: { google, "microsoft-entra-id": microsoft, github: { access_token: github.access_token, refresh_token: "" } },
  });
  const other = await plantUser("guard-other");
  const admin = await plantUser("guard-admin", "ADMIN");

  // ---- The token exchange (RFC 8693 at /api/oauth/token): the service principal, a service client
  // an admin created with credentials:*:read and tokens:introspect.
  const service = await createServiceClientAsAdmin(request, baseURL!, ["credentials:*:read", "tokens:introspect"]);
  const basic = (secret: string) => `Basic ${Buffer.from(`${service.clientId}:${secret}`).toString("base64")}`;
  // The admin rotates the secret (the old one stays valid for the overlap): the new one is shown once, here.
  const adminHeaders = { cookie: admin.cookie, ...sameOrigin };
  const services = await request.get("/api/admin/services", { headers: adminHeaders });
  expect(services.status()).toBe(200);
  await record(seen, "admin(session) GET /api/admin/services", services);
  const serviceId = ((await services.json()).services as { id: string; clientId: string }[]).find((s) => s.clientId === service.clientId)!.id;
  const rotated = await request.post(`/api/admin/services/${serviceId}/rotate-secret`, { headers: adminHeaders, data: { overlapSeconds: 3600 } });
  expect(rotated.status(), "the admin rotates the client secret").toBe(200);
  const rotatedBody = await rotated.json();
  const secret = rotatedBody.clientSecret as string;
  recordTestTokens(secret);
  expect(secret === service.clientSecret, "rotation issued a new secret").toBe(false);
  await record(seen, "admin(session) POST rotate-secret, clientSecret masked", rotated, JSON.stringify({ ...rotatedBody, clientSecret: "[new secret]" }));

  const exchange = (userId: string, provider: string, authorization = basic(secret)) =>
    request.post("/api/oauth/token", {
      headers: { authorization },
      form: {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: userId,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        requested_token_type: "urn:tessera:params:oauth:token-type:provider-access-token",
        audience: provider,
        purpose: "guard sweep",
      },
    });

  const first = await exchange(owner.userId, "google");
  expect(first.status(), "exchange after a real refresh").toBe(200);
  const handedOut = await first.json();
  const refreshedAccess = (await readStoredToken(owner.email, "google", "access_token"))!;
  const refreshedRefresh = (await readStoredToken(owner.email, "google", "refresh_token"))!;
  // The access token and nothing else (no refresh token, no id token, no other field).
  // Soft, so that a leak through an extra field is also reported by the value search below.
  // Mutation check (done once, red, restored): lib/oauth/grants/token-exchange.ts (then handle-token-request.ts), adding the stored refresh
  // token to the exchange's oauthJson({ access_token: result.accessToken, … }) fails this line and the value search.
  expect
    .soft(Object.keys(handedOut).sort(), "the exchange body holds the access token and nothing else")
    .toEqual(["access_token", "expires_in", "issued_token_type", "scope", "token_type"]);
  expect(handedOut.access_token === refreshedAccess, "the exchange returns the refreshed stored access token").toBe(true);
  const refreshedId = await readStoredToken(owner.email, "google", "id_token");
  for (const value of [refreshedRefresh, google.refresh_token!, refreshedId, google.id_token].filter((v): v is string => Boolean(v))) {
    expect(handedOut.access_token.includes(value) || value.includes(handedOut.access_token), "the handed-out access token holds no refresh or id token").toBe(
      false,
    );
  }
  expect(refreshedAccess === google.access_token, "a real refresh replaced the planted access token").toBe(false);
  expect(refreshedRefresh === google.refresh_token, "the IdP rotated the refresh token").toBe(false);
  expect(await introspect("google", handedOut.access_token)).toBe(true);
  // The refreshed values are tracked at their source, the IdP.
  const issued = readIdpIssuedTokens();
  for (const value of [google.access_token, google.refresh_token!, refreshedAccess, refreshedRefresh]) {
    expect(issued.includes(value), `${prefixOf(value)} is in the IdP's list of issued tokens`).toBe(true);
  }
  await record(seen, "service POST exchange google, access_token masked", first, JSON.stringify({ ...handedOut, access_token: "[handed out]" }));

  const again = await exchange(owner.userId, "google", basic(service.clientSecret));
  expect(again.status(), "the pre-rotation secret works during the overlap").toBe(200);
  const againBody = await again.json();
  expect(againBody.access_token === refreshedAccess, "the second exchange returns the stored token (no second refresh)").toBe(true);
  await record(seen, "service POST exchange google again, access_token masked", again, JSON.stringify({ ...againBody, access_token: "[handed out]" }));

  const dead = await exchange(owner.userId, "microsoft-entra-id");
  expect(dead.status(), "needs reconnect").toBe(400);
  await record(seen, "service POST exchange microsoft (dead grant)", dead);
  expect(seen.at(-1)!.text.includes('"error":"invalid_request","error_description":"needs_reconnect"'), "400 says invalid_request needs_reconnect").toBe(true);
  for (const attempt of ["provider error", "during backoff"]) {
    const unavailable = await exchange(owner.userId, "github");
    expect(unavailable.status(), `refresh unavailable (${attempt})`).toBe(503);
    expect(unavailable.headers()["retry-after"]).toBeTruthy();
    await record(seen, `service POST exchange github (${attempt})`, unavailable);
    expect(seen.at(-1)!.text.includes("temporarily_unavailable"), "503 says temporarily_unavailable").toBe(true);
  }
  await record(seen, "service POST exchange unknown provider", await exchange(owner.userId, "nope"));
  await record(seen, "service POST exchange unknown user", await exchange("usr_nobody", "google"));
  const unsupported = await request.post("/api/oauth/token", {
    headers: { authorization: basic(secret) },
    form: { grant_type: "refresh_token", refresh_token: refreshedRefresh },
  });
  expect(unsupported.status()).toBe(400);
  await record(seen, "service POST /api/oauth/token refresh_token grant", unsupported);

  // client_credentials: a service access token (tsr_sat_…), shown only in this response.
  const credentials = await request.post("/api/oauth/token", { headers: { authorization: basic(secret) }, form: { grant_type: "client_credentials" } });
  expect(credentials.status(), "client_credentials").toBe(200);
  const credentialsBody = await credentials.json();
  const sat = credentialsBody.access_token as string;
  expect(sat.startsWith("tsr_sat_")).toBe(true);
  recordTestTokens(sat);
  await record(
    seen,
    "service POST client_credentials, access_token masked",
    credentials,
    JSON.stringify({ ...credentialsBody, access_token: "[service token]" }),
  );

  // Only an authenticated service client with the permission gets anything.
  const patScopes = ["profile:read", "connections:read", "tokens:read", "tokens:write"];
  const pat = await createPat(request, { cookie: owner.cookie, ...sameOrigin }, { name: "guard-bearer", scopes: patScopes, expiresInDays: 7 });
  for (const [label, headers] of [
    ["owner session", { cookie: owner.cookie, ...sameOrigin }],
    ["owner PAT", { authorization: `Bearer ${pat}` }],
    ["service access token as bearer", { authorization: `Bearer ${sat}` }],
    ["wrong client secret", { authorization: basic(spoiled(secret)) }],
    ["signed out", {}],
  ] as const) {
    const response = await request.post("/api/oauth/token", {
      headers,
      form: {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: owner.userId,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        audience: "google",
      },
    });
    expect(response.status(), label).toBe(401);
    await record(seen, `${label} POST exchange`, response);
  }
  const unpermitted = await createServiceClientAsAdmin(request, baseURL!, ["credentials:github:read"]);
  const refused = await unpermitted.exchange(owner.userId, "google");
  expect(refused.status()).toBe(400);
  await record(seen, "service without credentials:google:read POST exchange", refused);

  // Introspection (RFC 7662) and revocation (RFC 7009): answers about tokens, never a token.
  const introspectAs = (token: string, authorization = basic(secret)) => request.post("/api/oauth/introspect", { headers: { authorization }, form: { token } });
  for (const [label, token] of [
    ["service token", sat],
    ["PAT", pat],
    ["provider token", refreshedAccess],
    ["refresh token", refreshedRefresh],
    ["client secret", secret],
  ] as const) {
    const response = await introspectAs(token);
    expect(response.status(), `introspect ${label}`).toBe(200);
    await record(seen, `service POST introspect ${label}`, response);
  }
  expect(seen.find((s) => s.where === "service POST introspect service token (200)")!.text.includes('"active":true'), "the service token is active").toBe(true);
  expect(
    seen.find((s) => s.where === "service POST introspect refresh token (200)")!.text.startsWith('{"active":false}'),
    "a provider token is no Tessera token",
  ).toBe(true);
  const introspectRefused = await introspectAs(sat, basic(unpermitted.clientSecret));
  expect(introspectRefused.status(), "introspection needs tokens:introspect").not.toBe(200);
  await record(seen, "service without tokens:introspect POST introspect", introspectRefused);
  const revoked = await request.post("/api/oauth/revoke", { headers: { authorization: basic(secret) }, form: { token: sat } });
  expect(revoked.status()).toBe(200);
  await record(seen, "service POST revoke own token", revoked);
  const afterRevoke = await introspectAs(sat);
  await record(seen, "service POST introspect revoked service token", afterRevoke);
  expect(seen.at(-1)!.text.startsWith('{"active":false}'), "the revoked service token is inactive").toBe(true);
  await record(seen, "signed-out POST revoke unknown", await request.post("/api/oauth/revoke", { form: { token: "tsr_pat_nothing" } }));
  await record(seen, "service POST introspect malformed", await introspectAs("%E0%A4%A"));

  // ---- Regenerate (POST /api/tokens/{id}/rotate) by the owner's session: the new value only in that 201,
  // recorded and masked; then the old value is reported leaked (it already stopped: nothing to revoke), and a
  // live one is (revoked). Every later page and list, the tokens page included, is swept for both values.
  const toRotate = await createPat(request, { cookie: owner.cookie, ...sameOrigin }, { name: "guard-rotate", scopes: ["profile:read"], expiresInDays: 7 });
  const toRotateId = ((await (await request.get("/api/tokens", { headers: { cookie: owner.cookie } })).json()).tokens as { id: string; name: string }[]).find(
    (t) => t.name === "guard-rotate",
  )!.id;
  const rotation = await request.post(`/api/tokens/${toRotateId}/rotate`, { headers: { cookie: owner.cookie, ...sameOrigin }, data: { overlapSeconds: 0 } });
  expect(rotation.status(), "the owner regenerates a token").toBe(201);
  const rotationBody = await rotation.json();
  recordTestTokens(rotationBody.token);
  expect(rotationBody.token === toRotate, "rotation issued a new value").toBe(false);
  await record(seen, "owner(session) POST rotate, token masked", rotation, JSON.stringify({ ...rotationBody, token: "[new token]" }));
  const leakedPat = await createPat(request, { cookie: owner.cookie, ...sameOrigin }, { name: "guard-leaked", scopes: ["profile:read"], expiresInDays: 7 });
  for (const [label, tokens] of [
    ["dead and garbage", [toRotate, "tsr_pat_garbage"]],
    ["live", [leakedPat]],
  ] as const) {
    const leakReport = await request.post("/api/credentials/report-leak", { data: { tokens } });
    expect(leakReport.status(), `leak report (${label})`).toBe(202);
    await record(seen, `anonymous POST report-leak ${label}`, leakReport);
  }
  expect(seen.at(-1)!.text.startsWith('{"received":1}'), "the answer says how many strings arrived, nothing else").toBe(true);
  expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${leakedPat}` } })).status(), "the reported PAT is revoked").toBe(401);
  // ---- The provider API proxy (issue 11): a service calls the provider for the owner; whatever the
  // outcome, nothing it receives holds the owner's provider tokens (the value search below).
  const proxyService = await createServiceClientAsAdmin(
    request,
    baseURL!,
    ["proxy:*"],
    ["google:/me", "POST google:/echo", "microsoft-entra-id:/me", "github:/items"],
  );
  const proxyGrant = await request.post("/api/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${proxyService.clientId}:${proxyService.clientSecret}`).toString("base64")}` },
    form: { grant_type: "client_credentials" },
  });
  expect(proxyGrant.status(), "client_credentials for the proxy service").toBe(200);
  const proxyToken = (await proxyGrant.json()).access_token as string;
  recordTestTokens(proxyToken);
  const proxied = (method: string, path: string, userId: string, data?: string) =>
    request.fetch(`/api/proxy${path}`, {
      method,
      headers: {
        authorization: `Bearer ${proxyToken}`,
        "tessera-on-behalf-of": userId,
        "tessera-purpose": "guard sweep",
        cookie: owner.cookie,
        ...(data ? { "content-type": "application/json" } : {}),
      },
      data,
      maxRedirects: 0,
    });
  const proxiedMe = await proxied("GET", "/google/me", owner.userId);
  expect(proxiedMe.status(), "the proxy answers for the owner at Google").toBe(200);
  expect((await proxiedMe.json()).sub, "the owner's Google profile came through").toBe(login);
  await record(seen, "service GET /api/proxy/google/me", proxiedMe);
  const echoBody = JSON.stringify({ note: "guard", at: Date.now() });
  const echoed = await proxied("POST", "/google/echo", owner.userId, echoBody);
  expect([echoed.status(), await echoed.text()], "the proxy passes a POST body through unchanged").toEqual([200, echoBody]);
  await record(seen, "service POST /api/proxy/google/echo", echoed);
  for (const [label, method, path, userId, status] of [
    ["dead grant", "GET", "/microsoft-entra-id/me", owner.userId, 409],
    ["refresh failing", "GET", "/github/items?page=2", owner.userId, 503],
    ["path not allowed", "GET", "/google/admin", owner.userId, 403],
    ["encoded traversal", "GET", "/google/me/..%2Fadmin", owner.userId, 400],
    ["unknown user", "GET", "/google/me", "usr_nobody", 404],
    // Made-up tokens: the provider answers 401, Tessera refreshes once with the made-up refresh token, the grant is dead.
    ["another person, made-up tokens", "GET", "/google/me", other.userId, 409],
  ] as const) {
    const response = await proxied(method, path, userId);
    expect(response.status(), `proxy: ${label}`).toBe(status);
    await record(seen, `service ${method} /api/proxy${path} (${label})`, response);
  }
  for (const [label, headers] of [
    ["owner session", { cookie: owner.cookie, ...sameOrigin }],
    ["owner PAT", { authorization: `Bearer ${pat}` }],
    ["signed out", {}],
  ] as const) {
    const response = await request.get("/api/proxy/google/me", { headers: { ...headers, "tessera-on-behalf-of": owner.userId } });
    expect(response.status(), `proxy as ${label}`).toBe(401);
    await record(seen, `${label} GET /api/proxy/google/me`, response);
  }
  // ---- A third-party application (issue 12): the owner registers it, authorizes it on the consent screen in
  // Chromium, the app redeems the code and refreshes at /api/oauth/token; its token then sweeps like a PAT.
  const ownerSession = { cookie: owner.cookie, ...sameOrigin };
  const registered = await request.post("/api/applications", {
    headers: ownerSession,
    data: { name: "Guard App", redirectUris: ["https://guard-app.example/cb"], confidential: true },
  });
  expect(registered.status(), "the owner registers an application").toBe(201);
  const registeredBody = await registered.json();
  const appSecret = registeredBody.clientSecret as string;
  recordTestTokens(appSecret);
  await record(
    seen,
    "owner(session) POST /api/applications, clientSecret masked",
    registered,
    JSON.stringify({ ...registeredBody, clientSecret: "[new secret]" }),
  );
  const appBasic = `Basic ${Buffer.from(`${registeredBody.clientId}:${appSecret}`).toString("base64")}`;
  const codeVerifier = randomBytes(32).toString("base64url");
  const authorizeUrl = `/oauth/authorize?${new URLSearchParams({
    client_id: registeredBody.clientId,
    redirect_uri: "https://guard-app.example/cb",
    response_type: "code",
    scope: "profile:read connections:read tokens:read tokens:write",
    state: "guard",
    code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
    code_challenge_method: "S256",
  })}`;
  const consentContext = await openAs(browser, baseURL!, owner.sessionToken);
  const consentPage = await consentContext.newPage();
  // The app's callback, answered here: the browser never leaves for a real host.
  await consentPage.route("https://guard-app.example/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "guard app" }));
  const consentCapture = captureResponses(consentPage, "owner(browser consent)", seen);
  await consentPage.goto(authorizeUrl);
  await consentPage.getByRole("button", { name: "Authorize Guard App" }).click();
  await consentPage.waitForURL("https://guard-app.example/cb?**");
  // The code travels in the redirect, as OAuth requires; it is spent at once below and not tracked as a token value.
  const code = new URL(consentPage.url()).searchParams.get("code")!;
  await consentCapture.settled();
  await consentContext.close();
  expect(consentCapture.actions.length, "the consent's server action response was captured").toBeGreaterThan(0);
  const redeemed = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: { grant_type: "authorization_code", code, redirect_uri: "https://guard-app.example/cb", code_verifier: codeVerifier },
  });
  expect(redeemed.status(), "the app redeems its code").toBe(200);
  const redeemedBody = await redeemed.json();
  recordTestTokens(redeemedBody.access_token, redeemedBody.refresh_token);
  await record(
    seen,
    "app POST authorization_code, tokens masked",
    redeemed,
    JSON.stringify({ ...redeemedBody, access_token: "[app token]", refresh_token: "[app refresh]" }),
  );
  const replayed = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: { grant_type: "authorization_code", code, redirect_uri: "https://guard-app.example/cb", code_verifier: codeVerifier },
  });
  expect(replayed.status(), "a replayed code is refused").toBe(400);
  await record(seen, "app POST authorization_code replay", replayed);
  // The replay revoked the first pair: authorize again (remembered consent: no screen, a plain redirect) for a live one.
  const again2 = await request.get(authorizeUrl, { headers: { cookie: owner.cookie }, maxRedirects: 0 });
  expect(again2.status(), "remembered consent redirects at once").toBe(307);
  const code2 = new URL(again2.headers().location!).searchParams.get("code")!;
  const second = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: { grant_type: "authorization_code", code: code2, redirect_uri: "https://guard-app.example/cb", code_verifier: codeVerifier },
  });
  const secondBody = await second.json();
  recordTestTokens(secondBody.access_token, secondBody.refresh_token);
  await record(
    seen,
    "app POST authorization_code again, tokens masked",
    second,
    JSON.stringify({ ...secondBody, access_token: "[app token]", refresh_token: "[app refresh]" }),
  );
  const appRefreshed = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: { grant_type: "refresh_token", refresh_token: secondBody.refresh_token },
  });
  expect(appRefreshed.status(), "the app refreshes").toBe(200);
  const appTokens = await appRefreshed.json();
  recordTestTokens(appTokens.access_token, appTokens.refresh_token);
  await record(
    seen,
    "app POST refresh_token, tokens masked",
    appRefreshed,
    JSON.stringify({ ...appTokens, access_token: "[app token]", refresh_token: "[app refresh]" }),
  );
  const reused = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: { grant_type: "refresh_token", refresh_token: secondBody.refresh_token },
  });
  expect(reused.status(), "a reused refresh token is refused").toBe(400);
  await record(seen, "app POST refresh_token reuse", reused);
  // The reuse revoked that family: one more authorization for the sweep's token.
  const again3 = await request.get(authorizeUrl, { headers: { cookie: owner.cookie }, maxRedirects: 0 });
  const third = await request.post("/api/oauth/token", {
    headers: { authorization: appBasic },
    form: {
      grant_type: "authorization_code",
      code: new URL(again3.headers().location!).searchParams.get("code")!,
      redirect_uri: "https://guard-app.example/cb",
      code_verifier: codeVerifier,
    },
  });
  const appToken = await third.json();
  recordTestTokens(appToken.access_token, appToken.refresh_token);
  await record(
    seen,
    "app POST authorization_code third, tokens masked",
    third,
    JSON.stringify({ ...appToken, access_token: "[app token]", refresh_token: "[app refresh]" }),
  );
  for (const [label, token] of [
    ["app access token", appToken.access_token],
    ["app refresh token", appToken.refresh_token],
  ] as const) {
    const response = await introspectAs(token);
    expect(response.status(), `introspect ${label}`).toBe(200);
    await record(seen, `service POST introspect ${label}`, response);
  }
  expect(seen.find((s) => s.where === "service POST introspect app access token (200)")!.text.includes('"active":true'), "the app token is active").toBe(true);
  // ---- Webhooks: an endpoint for every event, on a receiver here. Everything below (PAT revocations at the end
  // of each sweep, the disconnect, revoke-all, the dead Microsoft grant above) is delivered to it, and every
  // delivery joins what was seen. The signing secret is shown once (recorded, masked).
  const received: { body: string; headers: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ body, headers: JSON.stringify(req.headers) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverPort = (receiver.address() as AddressInfo).port;
  const hook = await request.post("/api/admin/webhooks", {
    headers: adminHeaders,
    data: { url: `http://127.0.0.1:${receiverPort}/hooks`, events: [...WEBHOOK_EVENTS] },
  });
  expect(hook.status(), "the admin registers a webhook").toBe(201);
  const hookBody = await hook.json();
  recordTestTokens(hookBody.secret);
  await record(seen, "admin(session) POST /api/admin/webhooks, secret masked", hook, JSON.stringify({ ...hookBody, secret: "[signing secret]" }));

  // ---- Every principal sweeps every page and route. Each PAT principal has its own PAT: its sweep
  // ends by revoking it (DELETE /api/tokens/current), so it is valid for the whole of its sweep.
  const apiKey = await createPat(request, { cookie: owner.cookie, ...sameOrigin }, { name: "guard-api-key", scopes: patScopes, expiresInDays: 7 });
  await sweep(baseURL!, "owner(session)", { cookie: owner.cookie, ...sameOrigin }, seen);
  await sweep(baseURL!, "owner(PAT)", { authorization: `Bearer ${pat}` }, seen);
  await sweep(baseURL!, "owner(X-API-Key)", { "x-api-key": apiKey }, seen);
  await sweep(baseURL!, "other(session)", { cookie: other.cookie, ...sameOrigin }, seen);
  await sweep(baseURL!, "signed-out", {}, seen);
  await sweep(baseURL!, "bad PAT", { authorization: `Bearer ${spoiled(pat)}` }, seen);
  await sweep(baseURL!, "owner(app token)", { authorization: `Bearer ${appToken.access_token}` }, seen);
  const appRevoked = await request.post("/api/oauth/revoke", { headers: { authorization: appBasic }, form: { token: appToken.refresh_token } });
  expect(appRevoked.status()).toBe(200);
  await record(seen, "app POST revoke own refresh token", appRevoked);
  await record(
    seen,
    "owner(app token, revoked) GET /api/v1/me",
    await request.get("/api/v1/me", { headers: { authorization: `Bearer ${appToken.access_token}` } }),
  );
  expect(seen.at(-1)!.where, "revoking the refresh token ended its access token too").toContain("(401)");
  const adminPaths = [
    "/admin/webhooks",
    "/api/admin/webhooks",
    `/admin/users/${owner.userId}`,
    `/admin/users/${other.userId}`,
    `/admin/users?q=guard`,
    `/admin/audit?subject=${owner.userId}`,
    `/api/admin/users/${owner.userId}/provider-tokens`,
  ];
  await sweep(baseURL!, "admin(session)", { cookie: admin.cookie, ...sameOrigin }, seen, adminPaths);
  await sweep(baseURL!, "owner on admin paths", { cookie: owner.cookie, ...sameOrigin }, seen, adminPaths);

  expectControl(seen, "service", "POST exchange google, access_token masked");
  expectControl(seen, "service", "POST client_credentials, access_token masked");
  expectControl(seen, "service", "POST introspect service token");
  expectControl(seen, "service", "POST revoke own token");
  expectControl(seen, "service", "GET /api/proxy/google/me");
  expectControl(seen, "service", "POST /api/proxy/google/echo");
  expectControl(seen, "admin(session)", "POST rotate-secret, clientSecret masked");
  expectControl(seen, "signed-out", "GET /.well-known/oauth-authorization-server");
  expectControl(seen, "owner(session)", "GET /api/tokens");
  expectControl(seen, "owner(PAT)", "GET /api/v1/connections");
  expectControl(seen, "owner(X-API-Key)", "GET /api/v1/me");
  expectControl(seen, "owner(app token)", "GET /api/v1/me");
  expectControl(seen, "owner(app token)", "GET /api/v1/connections");
  expectControl(seen, "owner(session)", "GET /settings/applications/authorized");
  expectControl(seen, "owner(session)", "POST /api/applications", 201);
  expectControl(seen, "app", "POST refresh_token, tokens masked");
  expectControl(seen, "owner(X-API-Key)", "GET /api/v1/connections");
  expectControl(seen, "other(session)", "GET /settings/connections");
  expectControl(seen, "signed-out", "GET /signin");
  expectControl(seen, "bad PAT", "GET /api/health");
  expectControl(seen, "admin(session)", `GET /admin/users/${owner.userId}`);
  expectControl(seen, "owner on admin paths", "GET /settings/tokens");
  // The sweeps looked at the owner's tokens, so their absence means something.
  // (Booleans: an assertion message never prints a body, which could hold a value.)
  const sawText = (where: string, text: string) => seen.find((s) => s.where === where)?.text.includes(text) ?? false;
  expect(sawText("owner(X-API-Key) GET /api/v1/connections (200)", "refresh_token"), "the PAT lists the owner's stored token names").toBe(true);
  expect(sawText("owner(session) GET /settings/connections (200)", "Connected with API access"), "the owner's connections page").toBe(true);
  expect(sawText(`admin(session) GET /admin/users/${owner.userId} (200)`, "Google (3)"), "the admin sees the owner's stored token names").toBe(true);
  // Each PAT's sweep ended with its own revocation.
  expectControl(seen, "owner(PAT)", "DELETE /api/tokens/current", 204);
  expectControl(seen, "owner(X-API-Key)", "DELETE /api/tokens/current", 204);
  expectControl(seen, "owner(PAT)", "POST /api/tokens/current/rotate", 201);
  expectControl(seen, "owner(session)", "POST /api/tokens/current/rotate", 400);
  expectControl(seen, "signed-out", "POST /api/credentials/report-leak", 202);
  expectControl(seen, "owner(session)", "POST rotate, token masked", 201);
  expect(sawText("owner(session) GET /settings/tokens (200)", "reported leaked"), "the owner's tokens page says a token was reported leaked").toBe(true);

  // ---- Disconnect: the owner's server action in Chromium (revokes the refreshed token at the IdP).
  const ownerContext = await openAs(browser, baseURL!, owner.sessionToken);
  const ownerPage = await ownerContext.newPage();
  const ownerCapture = captureResponses(ownerPage, "owner(browser)", seen);
  await ownerPage.goto("/settings/connections");
  await connectionCard(ownerPage, "google").getByRole("button", { name: "Disconnect API access" }).click();
  await ownerPage.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(ownerPage.getByRole("status").filter({ hasText: "revoked at Google" })).toBeVisible();
  await ownerPage.goto("/does-not-exist");
  await ownerCapture.settled();
  await ownerContext.close();
  expect(ownerCapture.actions.length, "the disconnect's server action response was captured").toBeGreaterThan(0);
  expect(await introspect("google", refreshedAccess)).toBe(false);

  // ---- Revoke-all: the admin's server action (security tab, Chromium) and the admin API.
  const victimA = await plantUser("guard-victim-a", "USER", { providers: { google: await obtainDemoTokens("google", `${login}-a`, baseURL!) } });
  const victimB = await plantUser("guard-victim-b", "USER", { providers: { google: await obtainDemoTokens("google", `${login}-b`, baseURL!) } });
  const adminContext = await openAs(browser, baseURL!, admin.sessionToken);
  const adminPage = await adminContext.newPage();
  const adminCapture = captureResponses(adminPage, "admin(browser)", seen);
  await adminPage.goto(`/admin/users/${victimA.userId}`);
  await expect(adminPage.getByTestId("active-sessions")).toHaveText("1");
  await adminPage.getByRole("button", { name: "Revoke all" }).click();
  await adminPage.getByRole("dialog").getByRole("button", { name: "Revoke everything" }).click();
  await expect(adminPage.getByTestId("active-sessions")).toHaveText("0");
  await expect.poll(() => introspect("google", victimA.stored[0]!), { message: "victim A's access token revoked at the IdP" }).toBe(false);
  await adminCapture.settled();
  await adminContext.close();
  expect(adminCapture.actions.length, "the revoke-all server action response was captured").toBeGreaterThan(0);

  // Fresh contexts: no cookie another principal's response set may ride along.
  const adminApi = await playwrightRequest.newContext({ baseURL });
  const viaApi = await adminApi.post(`/api/admin/users/${victimB.userId}/revoke-all`, { headers: { cookie: admin.cookie, ...sameOrigin } });
  expect(viaApi.status(), "revoke-all through the admin API").toBe(200);
  await record(seen, "admin(session) POST revoke-all API", viaApi);
  await adminApi.dispose();
  await expect.poll(() => introspect("google", victimB.stored[0]!), { message: "victim B's access token revoked at the IdP" }).toBe(false);
  const otherApi = await playwrightRequest.newContext({ baseURL });
  const notAdmin = await otherApi.post(`/api/admin/users/${victimB.userId}/revoke-all`, { headers: { cookie: other.cookie, ...sameOrigin } });
  expect(notAdmin.status(), "revoke-all API refused to a user").not.toBe(200);
  await record(seen, "other(session) POST revoke-all API", notAdmin);
  await otherApi.dispose();

  // The webhooks the run caused (pat.revoked, connection.*, user.credentials_revoked) arrived, and join the check.
  await expect
    .poll(() => received.filter((r) => r.body.includes('"type":"user.credentials_revoked"')).length, {
      message: "revoke-all's webhooks arrived",
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(2);
  expect(
    received.some((r) => r.body.includes('"type":"pat.revoked"')),
    "pat.revoked webhooks arrived",
  ).toBe(true);
  for (const [i, delivery] of received.entries()) seen.push({ where: `webhook delivery ${i}`, text: delivery.body + delivery.headers });
  receiver.close();

  // ---- Nothing of any value issued so far (by the IdP, planted, PATs; replaced and revoked ones
  // included) appears in what was seen — whole, or its distinctive last 12 characters.
  const values = [...new Set([...readAllIssuedTokens(), ...(await allStoredTokenValues())])].filter((value) => value.length > 0);
  expect(values.length, "the run issued tokens to look for").toBeGreaterThan(20);
  for (const value of [
    refreshedAccess,
    refreshedRefresh,
    pat,
    apiKey,
    toRotate,
    rotationBody.token,
    leakedPat,
    service.clientSecret,
    secret,
    unpermitted.clientSecret,
    sat,
    proxyToken,
    appSecret,
    appToken.access_token,
    appToken.refresh_token,
    appTokens.refresh_token,
    hookBody.secret,
    ...owner.stored.filter(Boolean),
  ]) {
    expect(values.includes(value), `${prefixOf(value)} is tracked`).toBe(true);
  }
  const leaks: string[] = [];
  for (const value of values) {
    expect(value.length, `${prefixOf(value)} is long enough for a distinctive 12-character piece`).toBeGreaterThanOrEqual(24);
    const piece = distinctivePiece(value);
    for (const entry of seen) {
      if (entry.text.includes(value)) leaks.push(`${prefixOf(value)} in ${entry.where}`);
      else if (entry.text.includes(piece)) leaks.push(`…${piece.slice(0, 4)}… (12-character piece of ${prefixOf(value)}) in ${entry.where}`);
    }
  }
  expect(leaks, "token values in responses").toEqual([]);

  // For log-scan.spec.ts: the pino line the refresh-unavailable exchange above made the app write.
  writeFileSync(LOG_CONTROL_FILE, JSON.stringify({ userId: owner.userId, provider: "github", msg: "provider token refresh unavailable" }), { mode: 0o600 });
});
