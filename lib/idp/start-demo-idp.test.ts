import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { startDemoIdp, type DemoIdp } from "./start-demo-idp";
import { introspectToken, obtainTokensByCodeFlow, refreshAtIdp, revokeTokenAtIdp } from "./testing/obtain-tokens-by-code-flow";

const APP = "http://localhost:3999";
const SECRET = "demo-secret-for-tests";
let idp: DemoIdp;

beforeAll(async () => {
  idp = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET, accessTokenTtlSeconds: 120 });
});
afterAll(() => idp.close());

const flow = (provider: keyof typeof DEMO_CLIENT_IDS, login = "alice", scope?: string) =>
  obtainTokensByCodeFlow({ issuer: idp.issuer, clientId: DEMO_CLIENT_IDS[provider], clientSecret: SECRET, redirectUri: `${APP}/api/auth/callback/${provider}`, login, scope });

describe("demo identity provider", () => {
  it("publishes discovery with token, revocation and introspection endpoints", async () => {
    const discovery = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      token_endpoint: `${idp.issuer}/token`,
      revocation_endpoint: `${idp.issuer}/token/revocation`,
      introspection_endpoint: `${idp.issuer}/token/introspection`,
    });
  });

  it("issues access, refresh and id tokens by code + PKCE for Google and Microsoft, without a tid claim", async () => {
    for (const provider of ["google", "microsoft-entra-id"] as const) {
      const tokens = await flow(provider, "alice", "openid email profile offline_access");
      expect(tokens.access_token).toBeTruthy();
      expect(tokens.refresh_token).toBeTruthy();
      expect(tokens.expires_in).toBeLessThanOrEqual(120);
      const claims = JSON.parse(Buffer.from(tokens.id_token!.split(".")[1]!, "base64url").toString());
      expect(claims).toMatchObject({ email: "alice@example.com", name: "Alice Example" });
      expect(claims).not.toHaveProperty("tid");
    }
  });

  it("speaks GitHub's plain OAuth shape: no openid, a numeric user id", async () => {
    const tokens = await flow("github", "bob", "read:user user:email repo");
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope?.split(" ")).toEqual(expect.arrayContaining(["read:user", "repo"]));
    const user = await (await fetch(`${idp.issuer}/github/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    expect(user).toMatchObject({ id: expect.any(Number), login: "bob", email: "bob@example.com" });
    expect((await fetch(`${idp.issuer}/github/user`, { headers: { authorization: "Bearer nonsense" } })).status).toBe(401);
  });

  it("rotates refresh tokens, refuses reuse and counts refreshes", async () => {
    const tokens = await flow("google", "carol");
    const before = idp.counters.refreshGrants[DEMO_CLIENT_IDS.google]!;
    const first = await refreshAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, SECRET, tokens.refresh_token!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toBeTruthy();
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(idp.counters.refreshGrants[DEMO_CLIENT_IDS.google]).toBe(before + 1);
    const reuse = await refreshAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, SECRET, tokens.refresh_token!);
    expect(reuse).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("revokes: the refresh token stops working and the access token introspects inactive", async () => {
    const tokens = await flow("microsoft-entra-id", "dave");
    const id = DEMO_CLIENT_IDS["microsoft-entra-id"];
    expect((await introspectToken(idp.issuer, id, SECRET, tokens.access_token)).active).toBe(true);
    expect(await revokeTokenAtIdp(idp.issuer, id, SECRET, tokens.refresh_token!)).toBe(200);
    expect((await refreshAtIdp(idp.issuer, id, SECRET, tokens.refresh_token!)).body.error).toBe("invalid_grant");
    expect((await introspectToken(idp.issuer, id, SECRET, tokens.access_token)).active).toBe(false);
  });

  it("refuses a wrong client secret", async () => {
    const tokens = await flow("google", "erin");
    const wrong = await refreshAtIdp(idp.issuer, DEMO_CLIENT_IDS.google, "wrong", tokens.refresh_token!);
    expect(wrong).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });
});
