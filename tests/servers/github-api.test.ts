import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";
import { introspectToken, obtainTokensByCodeFlow, refreshAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";

const APP = "http://localhost:3999";
const SECRET = "demo-secret-for-github-api-tests";
const GITHUB = DEMO_CLIENT_IDS.github;
let idp: DemoIdp;

beforeAll(async () => {
  idp = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET });
});
afterAll(() => idp.close());

const tokensFor = (login: string) =>
  obtainTokensByCodeFlow({
    issuer: idp.issuer,
    clientId: GITHUB,
    clientSecret: SECRET,
    redirectUri: `${APP}/api/auth/callback/github`,
    login,
    scope: "read:user user:email",
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const deleteGrant = (accessToken: string, auth = basic(GITHUB, SECRET), clientId = GITHUB) =>
  fetch(`${idp.issuer}/applications/${clientId}/grant`, {
    method: "DELETE",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ access_token: accessToken }),
  });

describe("the demo IdP's GitHub API", () => {
  it("/github/user/emails lists the address with primary and verified flags; /user shows only a verified public email", async () => {
    const alice = await tokensFor("alice");
    expect(await (await fetch(`${idp.issuer}/github/user/emails`, { headers: bearer(alice.access_token) })).json()).toEqual([
      { email: "alice@example.com", primary: true, verified: true, visibility: "public" },
    ]);
    const mallory = await tokensFor("mallory");
    expect(await (await fetch(`${idp.issuer}/github/user/emails`, { headers: bearer(mallory.access_token) })).json()).toEqual([
      { email: "admin@example.com", primary: true, verified: false, visibility: null },
    ]);
    expect(await (await fetch(`${idp.issuer}/github/user`, { headers: bearer(mallory.access_token) })).json()).toMatchObject({ login: "mallory", email: null });
    expect((await fetch(`${idp.issuer}/github/user/emails`, { headers: bearer("not-a-token") })).status).toBe(401);
  });

  it("DELETE /applications/{client_id}/grant needs the GitHub client's Basic credentials and revokes the whole grant", async () => {
    const tokens = await tokensFor("bob");
    expect((await deleteGrant(tokens.access_token, basic(GITHUB, "wrong-secret"))).status).toBe(401);
    expect((await deleteGrant(tokens.access_token, basic(DEMO_CLIENT_IDS.google, SECRET), DEMO_CLIENT_IDS.google)).status).toBe(401);
    expect((await deleteGrant("unknown-token")).status).toBe(404);
    expect(idp.counters.githubGrantRevocations).toBe(0);
    expect((await introspectToken(idp.issuer, GITHUB, SECRET, tokens.access_token)).active).toBe(true);

    expect((await deleteGrant(tokens.access_token)).status).toBe(204);
    expect(idp.counters.githubGrantRevocations).toBe(1);
    expect((await introspectToken(idp.issuer, GITHUB, SECRET, tokens.access_token)).active).toBe(false);
    expect((await refreshAtIdp(idp.issuer, GITHUB, SECRET, tokens.refresh_token!)).status).toBe(400);
    expect((await deleteGrant(tokens.access_token)).status).toBe(404);
  });
});
