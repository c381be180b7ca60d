import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECT_CALLBACK_PATH, demoConnectClientId, getDemoConnectEndpoints } from "@/lib/providers/demo-connect";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";
import { completeIdpAuthorization } from "@/lib/idp/testing/complete-idp-authorization";
import { CookieJar } from "@/lib/idp/testing/cookie-jar";

/*
 * The demo IdP playing connect-only providers (issue 23 §4), driven as Tessera's connect flow drives them:
 * the entry's endpoints, its scope separator, client_secret_post, and its revocation kind.
 */

const APP = "http://localhost:3997";
const REDIRECT_URI = `${APP}${CONNECT_CALLBACK_PATH}`;
const SECRET = "connect-secret-for-tests";
const GENERIC = "acme-crm";
let idp: DemoIdp;
let tokensDir: string;

beforeAll(async () => {
  tokensDir = mkdtempSync(path.join(tmpdir(), "demo-connect-"));
  idp = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET, connectProviders: [GENERIC], issuedTokensFile: path.join(tokensDir, "issued.txt") });
});
afterAll(async () => {
  await idp.close();
  rmSync(tokensDir, { recursive: true, force: true });
});

const endpoints = (id: string, issuer = idp.issuer) => getDemoConnectEndpoints(issuer, id);

function authorizationUrl(id: string, params: Record<string, string>, issuer = idp.issuer): string {
  const url = new URL(endpoints(id, issuer).authorization);
  url.search = new URLSearchParams({ response_type: "code", client_id: demoConnectClientId(id), redirect_uri: REDIRECT_URI, ...params }).toString();
  return url.href;
}

/** client_secret_post, as the slack and atlassian entries say; `basic` for the RFC 7009 generic client. */
function postForm(url: string, form: Record<string, string>, auth: "post" | "basic" | "none", clientId: string, secret = SECRET): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  const body = new URLSearchParams(form);
  if (auth === "post") {
    body.set("client_id", clientId);
    body.set("client_secret", secret);
  }
  if (auth === "basic") headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  return fetch(url, { method: "POST", headers, body });
}

type Tokens = { access_token: string; refresh_token: string; scope: string; token_type: string; expires_in: number; ok?: boolean };

/** Authorization (login or consent through the IdP's pages) → the callback's code → the token request. */
async function connect(
  id: string,
  scope: string,
  options: { login?: string; jar?: CookieJar; pkce?: boolean; issuer?: string; extra?: Record<string, string> } = {},
): Promise<{ tokens: Tokens; callback: URL }> {
  const issuer = options.issuer ?? idp.issuer;
  const state = randomBytes(8).toString("base64url");
  const verifier = randomBytes(32).toString("base64url");
  const pkce: Record<string, string> = options.pkce
    ? { code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" }
    : {};
  const callback = await completeIdpAuthorization({
    authorizationUrl: authorizationUrl(id, { scope, state, ...pkce, ...options.extra }, issuer),
    redirectUri: REDIRECT_URI,
    login: options.login ?? "alice",
    jar: options.jar,
  });
  expect(callback.searchParams.get("state")).toBe(state);
  const code = callback.searchParams.get("code");
  expect(code, callback.searchParams.get("error") ?? "").toBeTruthy();
  const form: Record<string, string> = { grant_type: "authorization_code", code: code!, redirect_uri: REDIRECT_URI };
  if (options.pkce) form.code_verifier = verifier;
  const response = await postForm(endpoints(id, issuer).token, form, "post", demoConnectClientId(id));
  expect(response.status).toBe(200);
  return { tokens: (await response.json()) as Tokens, callback };
}

const refresh = (id: string, refreshToken: string, issuer = idp.issuer) =>
  postForm(endpoints(id, issuer).token, { grant_type: "refresh_token", refresh_token: refreshToken }, "post", demoConnectClientId(id));
const getJson = async (url: string, token: string, method = "GET") => {
  const response = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Follows redirects from an authorization URL to the first page the IdP shows (no form is submitted). */
async function openFirstPage(url: string, jar: CookieJar): Promise<{ html: string; url: string }> {
  let target = url;
  for (let step = 0; step < 6; step++) {
    const response = await fetch(target, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get("location");
    if (!location) return { html: await response.text(), url: target };
    target = new URL(location, target).href;
  }
  throw new Error("no page");
}

describe("demo IdP as Slack (comma scopes, rotation, bearer revocation)", () => {
  it("code flow with comma-separated scopes answers Slack's shapes, and the code works once", async () => {
    const requestsBefore = idp.counters.tokenRequests;
    const state = "state-1";
    const callback = await completeIdpAuthorization({
      authorizationUrl: authorizationUrl("slack", { scope: "users:read,channels:read", state }),
      redirectUri: REDIRECT_URI,
      login: "alice",
    });
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(state);
    const form = { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI };
    const response = await postForm(endpoints("slack").token, form, "post", "tessera-demo-slack");
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toMatchObject({ ok: true, token_type: "Bearer", access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.scope.split(",").sort()).toEqual(["channels:read", "users:read"]);
    expect(idp.counters.tokenRequests).toBe(requestsBefore + 1);
    expect(readFileSync(path.join(tokensDir, "issued.txt"), "utf8")).toContain(tokens.refresh_token);

    const again = await postForm(endpoints("slack").token, form, "post", "tessera-demo-slack");
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("userinfo is auth.test's shape, with ids stable per person and different per person", async () => {
    const jar = new CookieJar();
    const first = await connect("slack", "users:read", { jar });
    const second = await connect("slack", "users:read", { jar });
    const bob = await connect("slack", "users:read", { login: "bob" });
    const a = await getJson(endpoints("slack").userinfo, first.tokens.access_token);
    expect(a).toMatchObject({ status: 200, body: { ok: true, user: "alice", team: expect.any(String), user_id: expect.stringMatching(/^U[0-9A-F]+$/) } });
    expect((await getJson(endpoints("slack").userinfo, second.tokens.access_token)).body.user_id).toBe(a.body.user_id);
    const b = await getJson(endpoints("slack").userinfo, bob.tokens.access_token);
    expect(b.body).toMatchObject({ user: "bob" });
    expect(b.body.user_id).not.toBe(a.body.user_id);
    expect((await getJson(endpoints("slack").userinfo, "nonsense")).status).toBe(401);
  });

  it("someone already signed in at the demo IdP only confirms: no sign-in page the second time", async () => {
    const jar = new CookieJar();
    const first = await openFirstPage(authorizationUrl("slack", { scope: "users:read", state: "s" }), jar);
    expect(first.html).toContain('name="login"');
    expect(first.html).toContain("Demo Slack");
    await connect("slack", "users:read", { jar, login: "bob" });
    const second = await openFirstPage(authorizationUrl("slack", { scope: "users:read,chat:write", state: "s" }), jar);
    expect(second.html).not.toContain('name="login"');
    expect(second.html).toContain("/confirm");
    expect(second.html).toContain("chat:write");
  });

  it("refresh rotates: a new pair, counted for tessera-demo-slack, and the old refresh token is refused", async () => {
    const { tokens } = await connect("slack", "users:read,channels:read");
    const before = idp.counters.refreshGrants["tessera-demo-slack"];
    expect(before).toEqual(expect.any(Number));
    const first = await refresh("slack", tokens.refresh_token);
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as Tokens;
    expect(rotated).toMatchObject({ ok: true, token_type: "Bearer" });
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(rotated.access_token).not.toBe(tokens.access_token);
    expect(rotated.scope.split(",").sort()).toEqual(["channels:read", "users:read"]);
    expect(idp.counters.refreshGrants["tessera-demo-slack"]).toBe(before! + 1);

    const reuse = await refresh("slack", tokens.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("bearer revocation ends the whole grant: refresh fails and the API answers 401", async () => {
    const { tokens } = await connect("slack", "users:read");
    expect((await getJson(`${endpoints("slack").apiBase}/me`, tokens.access_token)).status).toBe(200);
    const before = idp.counters.revocations;
    const revoked = await getJson(endpoints("slack").revocation, tokens.access_token, "POST");
    expect(revoked).toEqual({ status: 200, body: { ok: true, revoked: true } });
    expect(idp.counters.revocations).toBe(before + 1);
    expect((await refresh("slack", tokens.refresh_token)).status).toBe(400);
    expect(await getJson(`${endpoints("slack").apiBase}/me`, tokens.access_token)).toMatchObject({ status: 401, body: { ok: false } });
    expect((await getJson(endpoints("slack").revocation, tokens.access_token, "POST")).status).toBe(401);
  });

  it("the API guards its call with a scope: 403 naming the missing scope, 200 with it, 401 for another client's token", async () => {
    const narrow = await connect("slack", "users:read");
    const wide = await connect("slack", "users:read,channels:read");
    const list = `${endpoints("slack").apiBase}/conversations.list`;
    expect(await getJson(list, narrow.tokens.access_token)).toEqual({ status: 403, body: { error: "insufficient_scope", needed: "channels:read" } });
    const allowed = await getJson(list, wide.tokens.access_token);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ ok: true, channels: expect.any(Array) });
    const atlassian = await connect("atlassian", "read:me read:jira-work");
    expect((await getJson(list, atlassian.tokens.access_token)).status).toBe(401);
    expect((await getJson(`${endpoints("atlassian").apiBase}/me`, wide.tokens.access_token)).status).toBe(401);
  });
});

describe("demo IdP as Atlassian (space scopes, PKCE when sent, no revocation)", () => {
  it("ignores audience and prompt, answers space-separated scopes and the /me shape", async () => {
    const { tokens } = await connect("atlassian", "read:me offline_access read:jira-work", { extra: { audience: "api.atlassian.com", prompt: "consent" } });
    expect(tokens).not.toHaveProperty("ok");
    expect(tokens.scope.split(" ").sort()).toEqual(["offline_access", "read:jira-work", "read:me"]);
    const me = await getJson(endpoints("atlassian").userinfo, tokens.access_token);
    expect(me).toEqual({ status: 200, body: { account_id: expect.stringMatching(/^712020:/), name: "Alice Example", email: "alice@example.com" } });
    expect((await getJson(`${endpoints("atlassian").apiBase}/me`, tokens.access_token)).body).toEqual(me.body);
    const projects = await getJson(`${endpoints("atlassian").apiBase}/rest/api/3/project`, tokens.access_token);
    expect(projects.status).toBe(200);
    const readOnly = await connect("atlassian", "read:me");
    expect(await getJson(`${endpoints("atlassian").apiBase}/rest/api/3/project`, readOnly.tokens.access_token)).toEqual({
      status: 403,
      body: { error: "insufficient_scope", needed: "read:jira-work" },
    });
  });

  it("a PKCE challenge, once sent, must be answered with its verifier", async () => {
    const challenge = createHash("sha256").update("the-right-verifier-the-right-verifier-0123").digest("base64url");
    const callback = await completeIdpAuthorization({
      authorizationUrl: authorizationUrl("atlassian", { scope: "read:me", state: "p", code_challenge: challenge, code_challenge_method: "S256" }),
      redirectUri: REDIRECT_URI,
      login: "carol",
    });
    const form = { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI };
    const missing = await postForm(endpoints("atlassian").token, form, "post", "tessera-demo-atlassian");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: "invalid_grant" });
    expect((await connect("atlassian", "read:me", { pkce: true })).tokens.access_token).toBeTruthy();
  });

  it("has no revocation endpoint", async () => {
    const { tokens } = await connect("atlassian", "read:me");
    expect((await getJson(endpoints("atlassian").revocation, tokens.access_token, "POST")).status).toBe(404);
  });

  it("refresh tokens expire when unused for connectRefreshIdleSeconds", async () => {
    const short = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET, connectRefreshIdleSeconds: 1 });
    try {
      // Only a lower bound on time is relied on (a sleep lasts at least its length): a refresh between connecting and
      // waiting made this flaky on a loaded machine, where connecting alone can take more than the 1 s window. That a
      // rotation restarts the window is the next test's, through introspection.
      const { tokens } = await connect("atlassian", "read:me offline_access", { issuer: short.issuer });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const idle = await refresh("atlassian", tokens.refresh_token, short.issuer);
      expect(idle.status).toBe(400);
      expect(await idle.json()).toMatchObject({ error: "invalid_grant" });
      expect(short.counters.refreshGrants["tessera-demo-atlassian"] ?? 0).toBe(0);
    } finally {
      await short.close();
    }
  });

  it("each rotation starts a new idle window (the rotated refresh token expires later than its predecessor)", async () => {
    const idle = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET, connectRefreshIdleSeconds: 30 });
    const expiryOf = async (token: string) => {
      const response = await postForm(`${idle.issuer}/token/introspection`, { token }, "basic", "tessera-demo-atlassian");
      return (await response.json()) as { active: boolean; exp: number; iat: number };
    };
    try {
      const { tokens } = await connect("atlassian", "read:me offline_access", { issuer: idle.issuer });
      const first = await expiryOf(tokens.refresh_token);
      expect(first).toMatchObject({ active: true });
      expect(first.exp - first.iat).toBe(30);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const next = (await (await refresh("atlassian", tokens.refresh_token, idle.issuer)).json()) as Tokens;
      const second = await expiryOf(next.refresh_token);
      expect(second.exp - second.iat).toBe(30);
      expect(second.exp).toBeGreaterThan(first.exp);
    } finally {
      await idle.close();
    }
  });
});

describe("authorization requests the demo IdP refuses", () => {
  it("a redirect_uri that is not registered gets an error page, never a redirect", async () => {
    for (const redirectUri of ["http://evil.example/connect/callback", `${APP}/api/auth/callback/google`, `${REDIRECT_URI}/extra`]) {
      const response = await fetch(authorizationUrl("slack", { scope: "users:read", state: "s", redirect_uri: redirectUri }), { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain("redirect_uri");
    }
    const wrongClient = await fetch(authorizationUrl("slack", { scope: "users:read", client_id: "tessera-demo-atlassian" }), { redirect: "manual" });
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.headers.get("location")).toBeNull();
  });

  it("an unknown scope, or scopes joined with the wrong separator, redirect back with invalid_scope and the state", async () => {
    for (const [id, scope] of [
      ["slack", "users:read,admin"],
      ["slack", "users:read channels:read"],
      ["atlassian", "read:me,read:jira-work"],
      [GENERIC, "read openid"],
    ]) {
      const response = await fetch(authorizationUrl(id!, { scope: scope!, state: "keep-me" }), { redirect: "manual" });
      const location = new URL(response.headers.get("location")!);
      expect(location.origin + location.pathname).toBe(REDIRECT_URI);
      expect(location.searchParams.get("error")).toBe("invalid_scope");
      expect(location.searchParams.get("state")).toBe("keep-me");
    }
  });

  it("a person who cancels comes back with access_denied", async () => {
    const jar = new CookieJar();
    const page = await openFirstPage(authorizationUrl("slack", { scope: "users:read", state: "deny" }), jar);
    const abort = /href="(\/interaction\/[^"]+\/abort)"/.exec(page.html)![1]!;
    let target = new URL(abort, idp.issuer).href;
    let location: URL | null = null;
    for (let step = 0; step < 6 && !location; step++) {
      const response = await fetch(target, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(response);
      const next = new URL(response.headers.get("location")!, target);
      if (next.href.startsWith(REDIRECT_URI)) location = next;
      else target = next.href;
    }
    expect(location?.searchParams.get("error")).toBe("access_denied");
    expect(location?.searchParams.get("state")).toBe("deny");
  });

  it("the token endpoint refuses a wrong secret, a mismatched redirect_uri, and answers the test faults", async () => {
    const callback = await completeIdpAuthorization({
      authorizationUrl: authorizationUrl("slack", { scope: "users:read", state: "t" }),
      redirectUri: REDIRECT_URI,
      login: "alice",
    });
    const code = callback.searchParams.get("code")!;
    const wrongSecret = await postForm(
      endpoints("slack").token,
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI },
      "post",
      "tessera-demo-slack",
      "x",
    );
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });
    const mismatch = await postForm(
      endpoints("slack").token,
      { grant_type: "authorization_code", code, redirect_uri: `${APP}/elsewhere` },
      "basic",
      "tessera-demo-slack",
    );
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ error: "invalid_grant" });

    Object.assign(idp.faults, { tokenStatus: 503, tokenError: "temporarily_unavailable", tokenRetryAfter: "120" });
    try {
      const faulted = await postForm(endpoints("slack").token, { grant_type: "refresh_token", refresh_token: "whatever" }, "post", "tessera-demo-slack");
      expect(faulted.status).toBe(503);
      expect(faulted.headers.get("retry-after")).toBe("120");
      expect(await faulted.json()).toEqual({ error: "temporarily_unavailable" });
    } finally {
      Object.assign(idp.faults, { tokenStatus: null, tokenError: null, tokenRetryAfter: null });
    }
  });
});

describe("a generic id named by connectProviders (space scopes, {sub, name}, RFC 7009)", () => {
  const clientId = demoConnectClientId(GENERIC);

  it("plays the id: /me, a write-guarded POST /items, and its own stable account id", async () => {
    const { tokens } = await connect(GENERIC, "read write");
    expect(tokens.scope.split(" ").sort()).toEqual(["read", "write"]);
    const me = await getJson(endpoints(GENERIC).userinfo, tokens.access_token);
    expect(me).toEqual({ status: 200, body: { sub: expect.any(String), name: "Alice Example" } });
    const slack = await connect("slack", "users:read");
    expect((await getJson(endpoints("slack").userinfo, slack.tokens.access_token)).body.user_id).not.toBe(me.body.sub);
    expect((await getJson(`${endpoints(GENERIC).apiBase}/items`, tokens.access_token, "POST")).status).toBe(201);
    const readOnly = await connect(GENERIC, "read");
    expect(await getJson(`${endpoints(GENERIC).apiBase}/items`, readOnly.tokens.access_token, "POST")).toEqual({
      status: 403,
      body: { error: "insufficient_scope", needed: "write" },
    });
    expect(idp.counters.refreshGrants[clientId]).toBe(0);
  });

  it("RFC 7009 revocation with client authentication ends the grant; a wrong secret is refused", async () => {
    const { tokens } = await connect(GENERIC, "read");
    const refused = await postForm(endpoints(GENERIC).revocation, { token: tokens.refresh_token }, "basic", clientId, "wrong");
    expect(refused.status).toBe(401);
    const before = idp.counters.revocations;
    const revoked = await postForm(endpoints(GENERIC).revocation, { token: tokens.refresh_token, token_type_hint: "refresh_token" }, "basic", clientId);
    expect(revoked.status).toBe(200);
    expect(idp.counters.revocations).toBe(before + 1);
    expect((await refresh(GENERIC, tokens.refresh_token)).status).toBe(400);
    expect((await getJson(`${endpoints(GENERIC).apiBase}/me`, tokens.access_token)).status).toBe(401);
    // Unknown tokens still answer 200 (RFC 7009 §2.2) and are not counted.
    expect((await postForm(endpoints(GENERIC).revocation, { token: "not-a-token" }, "post", clientId)).status).toBe(200);
    expect(idp.counters.revocations).toBe(before + 1);
  });

  it("an id that is not played has no endpoints", async () => {
    expect((await fetch(endpoints("other-crm").token, { method: "POST" })).status).toBe(404);
    expect((await fetch(authorizationUrl("other-crm", { scope: "read" }), { redirect: "manual" })).status).toBe(404);
  });
});
