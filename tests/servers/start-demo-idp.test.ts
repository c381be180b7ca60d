import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_IDS, PROVIDER_IDS, type ProviderId } from "@/lib/providers/catalog";
import { DemoIdpError } from "@/lib/idp/demo-idp-error";
import { deriveGithubUserId } from "@/lib/idp/demo-users";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";
import { CookieJar } from "@/lib/idp/testing/cookie-jar";
import { introspectToken, obtainTokensByCodeFlow, refreshAtIdp, revokeTokenAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";

const APP = "http://localhost:3999";
const SECRET = "demo-secret-for-tests";
const SCOPES: Record<ProviderId, string> = {
  google: "openid email profile https://www.googleapis.com/auth/calendar.readonly",
  "microsoft-entra-id": "openid profile email offline_access User.Read Mail.Read",
  github: "read:user user:email repo",
};
let idp: DemoIdp;

beforeAll(async () => {
  idp = await startDemoIdp({ appUrls: [APP, "http://127.0.0.1:3999/"], clientSecret: SECRET, accessTokenTtlSeconds: 120 });
});
afterAll(() => idp.close());

const flow = (provider: ProviderId, login: string, options: { scope?: string; jar?: CookieJar } = {}) =>
  obtainTokensByCodeFlow({
    issuer: idp.issuer,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: SECRET,
    redirectUri: `${APP}/api/auth/callback/${provider}`,
    login,
    scope: options.scope ?? SCOPES[provider],
    jar: options.jar,
  });

const decodeJwt = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("demo identity provider", () => {
  it("publishes discovery with token, revocation and introspection endpoints at oidc-provider's paths", async () => {
    const discovery = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      userinfo_endpoint: `${idp.issuer}/me`,
      revocation_endpoint: `${idp.issuer}/token/revocation`,
      introspection_endpoint: `${idp.issuer}/token/introspection`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ["S256"],
    });
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "offline_access", "User.Read", "repo"]));
  });

  it.each(["google", "microsoft-entra-id"] as const)(
    "%s: code + PKCE gives access, refresh and an id_token with email, name, picture and no tid",
    async (provider) => {
      const tokens = await flow(provider, "alice");
      expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: "Bearer" });
      expect(tokens.expires_in).toBeLessThanOrEqual(120);
      expect(tokens.scope!.split(" ").sort()).toEqual(SCOPES[provider].split(" ").sort());
      const claims = decodeJwt(tokens.id_token!);
      expect(claims).toMatchObject({
        iss: idp.issuer,
        aud: DEMO_CLIENT_IDS[provider],
        sub: "alice",
        email: "alice@example.com",
        name: "Alice Example",
        picture: `${idp.issuer}/avatars/alice.svg`,
      });
      expect(claims).not.toHaveProperty("tid");
    },
  );

  it("github: plain OAuth 2.0 (no openid, no id_token), still a refresh token, and GitHub's /user shape", async () => {
    const tokens = await flow("github", "bob");
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.scope!.split(" ").sort()).toEqual(["read:user", "repo", "user:email"]);
    const response = await fetch(`${idp.issuer}/github/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-oauth-scopes")).toContain("repo");
    expect(await response.json()).toEqual({
      id: deriveGithubUserId("bob"),
      login: "bob",
      name: "Bob Example",
      email: "bob@example.com",
      avatar_url: `${idp.issuer}/avatars/bob.svg`,
      type: "User",
    });
    expect((await fetch(`${idp.issuer}/avatars/bob.svg`)).headers.get("content-type")).toBe("image/svg+xml");
  });

  it("github /user: 401 for garbage, a missing header, and tokens of another client", async () => {
    const google = await flow("google", "carol");
    for (const authorization of ["Bearer nonsense", "", `Bearer ${google.access_token}`]) {
      const response = await fetch(`${idp.issuer}/github/user`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ message: "Bad credentials" });
    }
  });

  it("gives every login its own stable identity", async () => {
    const first = await flow("github", "user-0001");
    const second = await flow("github", "user-0002");
    const read = async (token: string) => (await fetch(`${idp.issuer}/github/user`, { headers: { authorization: `Bearer ${token}` } })).json();
    const [a, b] = [await read(first.access_token), await read(second.access_token)];
    expect(a).toMatchObject({ login: "user-0001", email: "user-0001@example.com", id: deriveGithubUserId("user-0001") });
    expect(b.id).not.toBe(a.id);
    expect(decodeJwt((await flow("google", "admin")).id_token!)).toMatchObject({ email: "admin@example.com", name: "Ada Admin" });
  });

  it.each(PROVIDER_IDS)("%s: refresh rotates the refresh token, counts once, and refuses the old one", async (provider) => {
    const clientId = DEMO_CLIENT_IDS[provider];
    const tokens = await flow(provider, `rotate-${provider}`);
    const before = idp.counters.refreshGrants[clientId]!;
    const first = await refreshAtIdp(idp.issuer, clientId, SECRET, tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(first.body.access_token).not.toBe(tokens.access_token);
    expect(first.body.scope).toBe(tokens.scope);
    expect(idp.counters.refreshGrants[clientId]).toBe(before + 1);

    const reuse = await refreshAtIdp(idp.issuer, clientId, SECRET, tokens.refresh_token!);
    expect(reuse).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(idp.counters.refreshGrants[clientId]).toBe(before + 1);
  });

  it("revoking the refresh token ends the grant: refresh fails and the access token introspects inactive", async () => {
    const id = DEMO_CLIENT_IDS["microsoft-entra-id"];
    const tokens = await flow("microsoft-entra-id", "dave");
    expect(await introspectToken(idp.issuer, id, SECRET, tokens.access_token)).toMatchObject({ active: true, client_id: id, sub: "dave" });
    const before = idp.counters.revocations;
    expect(await revokeTokenAtIdp(idp.issuer, id, SECRET, tokens.refresh_token!)).toBe(200);
    expect(idp.counters.revocations).toBe(before + 1);
    expect((await refreshAtIdp(idp.issuer, id, SECRET, tokens.refresh_token!)).body.error).toBe("invalid_grant");
    expect((await introspectToken(idp.issuer, id, SECRET, tokens.access_token)).active).toBe(false);
    // RFC 7009: an unknown token is still 200, and is not counted.
    expect(await revokeTokenAtIdp(idp.issuer, id, SECRET, "not-a-token")).toBe(200);
    expect(idp.counters.revocations).toBe(before + 1);
  });

  it("a client cannot revoke another client's token", async () => {
    const tokens = await flow("github", "frank");
    expect(await revokeTokenAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, SECRET, tokens.access_token)).toBe(200);
    expect((await introspectToken(idp.issuer, DEMO_CLIENT_IDS.github, SECRET, tokens.access_token)).active).toBe(true);
  });

  it("refuses a wrong client secret with 401 invalid_client", async () => {
    const tokens = await flow("google", "erin");
    const wrong = await refreshAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, "wrong", tokens.refresh_token!);
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const post = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        client_id: DEMO_CLIENT_IDS.google,
        client_secret: "wrong",
      }),
    });
    expect(post.status).toBe(401);
  });

  it("also accepts client_secret_post (what GitHub's real token endpoint is usually called with)", async () => {
    const tokens = await flow("github", "grace");
    const response = await fetch(`${idp.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        client_id: DEMO_CLIENT_IDS.github,
        client_secret: SECRET,
      }),
    });
    expect(response.status).toBe(200);
  });

  it("requires PKCE and a registered redirect URI", async () => {
    const authorize = (params: Record<string, string>) =>
      fetch(`${idp.issuer}/auth?${new URLSearchParams({ client_id: DEMO_CLIENT_IDS.google, response_type: "code", scope: "openid", ...params })}`, {
        redirect: "manual",
      });
    const noPkce = await authorize({ redirect_uri: `${APP}/api/auth/callback/google` });
    expect(new URL(noPkce.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const elsewhere = await authorize({
      redirect_uri: "http://evil.example/api/auth/callback/google",
      code_challenge: "x".repeat(43),
      code_challenge_method: "S256",
    });
    expect(elsewhere.status).toBe(400);
  });

  it("asks who signs in every time: one browser can switch users and the first user's tokens survive", async () => {
    const jar = new CookieJar();
    const alice = await flow("google", "alice", { jar });
    const bob = await flow("google", "bob", { jar });
    expect(decodeJwt(bob.id_token!)).toMatchObject({ sub: "bob" });
    expect((await introspectToken(idp.issuer, DEMO_CLIENT_IDS.google, SECRET, alice.access_token)).active).toBe(true);
    expect((await refreshAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, SECRET, alice.refresh_token!)).status).toBe(200);
  });

  it("does not accept a login that is not a demo user", async () => {
    await expect(flow("google", "Not A User")).rejects.toMatchObject({ code: "authorization_failed" });
  });

  it("with issuedTokensFile, records every token it issues: code exchange and refresh (e2e's log scan reads it)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "demo-idp-issued-"));
    const file = path.join(dir, "issued.txt");
    const recording = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET, issuedTokensFile: file });
    try {
      const tokens = await obtainTokensByCodeFlow({
        issuer: recording.issuer,
        clientId: DEMO_CLIENT_IDS.google,
        clientSecret: SECRET,
        redirectUri: `${APP}/api/auth/callback/google`,
        login: "alice",
        scope: SCOPES.google,
      });
      const refreshed = await refreshAtIdp(recording.issuer, DEMO_CLIENT_IDS.google, SECRET, tokens.refresh_token!);
      expect(refreshed.status).toBe(200);
      const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
      const expected = [
        tokens.access_token,
        tokens.refresh_token,
        tokens.id_token,
        refreshed.body.access_token,
        refreshed.body.refresh_token,
        refreshed.body.id_token,
      ];
      expect(expected.every((value) => typeof value === "string" && value.length > 0)).toBe(true);
      expect(lines.sort()).toEqual((expected as string[]).sort());
    } finally {
      await recording.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad options and closes idempotently", async () => {
    await expect(startDemoIdp({ appUrls: [], clientSecret: SECRET })).rejects.toBeInstanceOf(DemoIdpError);
    await expect(startDemoIdp({ appUrls: ["ftp://x"], clientSecret: SECRET })).rejects.toMatchObject({ code: "invalid_options" });
    const other = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET });
    await expect(startDemoIdp({ appUrls: [APP], clientSecret: SECRET, port: Number(new URL(other.issuer).port) })).rejects.toMatchObject({
      code: "listen_failed",
    });
    await Promise.all([other.close(), other.close()]);
    await expect(fetch(`${other.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
