import { beforeAll, expect, it } from "vitest";
import * as providerTokensRoute from "@/app/api/admin/users/[id]/provider-tokens/route";
import * as revokeAllRoute from "@/app/api/admin/users/[id]/revoke-all/route";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { getOverview } from "@/lib/admin/get-overview";
import { describeStoredTokens, getUserSecurity } from "@/lib/admin/get-user-security";
import { listUsers } from "@/lib/admin/list-users";
import { setUserRole } from "@/lib/admin/set-user-role";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { getDb } from "@/lib/db/client";
import { introspectToken, obtainTokensByCodeFlow } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { setToken } from "../helpers/provider-token-rows";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { describeOnEachDatabase } from "../helpers/test-database";

const APP = TEST_APP_URL;
const SECRET = TEST_IDP_SECRET;
const demoIdp = startDemoIdpForFile();

async function patFor(cookie: string, scopes: string[]) {
  const response = await callRoute(tokenRoutes.POST, {
    method: "POST",
    path: "/api/tokens",
    headers: sameOrigin(cookie),
    body: { name: `t-${Math.random()}`, scopes, expiresInDays: 7 },
  });
  expect(response.status, response.text).toBe(201);
  return response.json().token as string;
}

describeOnEachDatabase("administration", () => {
  let admin: { id: string; cookie: string };
  let user: { id: string; cookie: string };

  beforeAll(async () => {
    const a = await createUser({ email: "root@example.com", role: "ADMIN" });
    const u = await createUser({ email: "plain@example.com" });
    admin = { id: a.id, cookie: await createSessionCookie(a.id) };
    user = { id: u.id, cookie: await createSessionCookie(u.id) };
  });

  it("admin API: only admins succeed; everyone else sees 401 (signed out) or 404", async () => {
    const target = await createUser();
    await setToken(target.id, "github", "access_token", "matrix-github-token");
    const userPat = await patFor(user.cookie, ["profile:read", "tokens:read", "tokens:write", "connections:read"]);
    const adminPatNoScope = await patFor(admin.cookie, ["profile:read"]);
    const adminPat = await patFor(admin.cookie, ["admin"]);
    const otherAdmin = await createUser({ role: "ADMIN" });
    const otherAdminCookie = await createSessionCookie(otherAdmin.id);

    const identities: [string, Record<string, string>, number][] = [
      ["signed out", {}, 401],
      ["user session", sameOrigin(user.cookie), 404],
      ["user PAT", { authorization: `Bearer ${userPat}` }, 404],
      ["admin PAT without admin scope", { authorization: `Bearer ${adminPatNoScope}` }, 403],
      ["admin PAT", { authorization: `Bearer ${adminPat}` }, 200],
      ["admin session", sameOrigin(admin.cookie), 200],
      ["other admin session", sameOrigin(otherAdminCookie), 200],
    ];
    for (const [label, headers, expected] of identities) {
      const read = await callRoute(providerTokensRoute.GET, { path: `/api/admin/users/${target.id}/provider-tokens`, headers, params: { id: target.id } });
      expect(read.status, label).toBe(expected);
      if (expected === 200) expect(read.json()).toEqual({ providers: [{ provider: "github", tokenNames: ["access_token"], count: 1, status: "api_access" }] });
      expect(read.text).not.toContain("matrix-github-token");
    }
    // Non-admins never reach revoke-all; the target keeps its tokens.
    for (const [label, headers, expected] of identities.filter(([, , status]) => status !== 200)) {
      const write = await callRoute(revokeAllRoute.POST, {
        method: "POST",
        path: `/api/admin/users/${target.id}/revoke-all`,
        headers,
        params: { id: target.id },
      });
      expect(write.status, label).toBe(expected);
    }
    expect(await getDb().providerToken.count({ where: { userId: target.id } })).toBe(1);
    const unknown = await callRoute(providerTokensRoute.GET, {
      path: "/api/admin/users/nobody/provider-tokens",
      headers: sameOrigin(admin.cookie),
      params: { id: "nobody" },
    });
    expect(unknown.status).toBe(404);
  });

  it("only admins can create PATs with the admin scope", async () => {
    const denied = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(user.cookie),
      body: { name: "sneaky", scopes: ["admin"], expiresInDays: 1 },
    });
    expect(denied.status).toBe(403);
    expect(await patFor(admin.cookie, ["admin"])).toMatch(/^tsr_pat_/);
  });

  it("overview and security tab counts equal what was planted", async () => {
    const before = await getOverview();
    const planted = [await createUser(), await createUser(), await createUser()];
    const db = getDb();
    await db.account.createMany({
      data: [
        { userId: planted[0]!.id, type: "oidc", provider: "google", providerAccountId: `g-${planted[0]!.id}` },
        { userId: planted[0]!.id, type: "oidc", provider: "microsoft-entra-id", providerAccountId: `m-${planted[0]!.id}` },
        { userId: planted[1]!.id, type: "oauth", provider: "github", providerAccountId: `h-${planted[1]!.id}` },
        { userId: planted[2]!.id, type: "oidc", provider: "microsoft-entra-id", providerAccountId: `m-${planted[2]!.id}` },
      ],
    });
    for (const name of ["access_token", "refresh_token", "id_token"]) await setToken(planted[0]!.id, "microsoft-entra-id", name, `v-${name}`);
    await setToken(planted[0]!.id, "github", "access_token", "v-gh");
    await setToken(planted[2]!.id, "microsoft-entra-id", "access_token", "v-ms2");
    // A dead grant, as getFreshAccessToken leaves it: marked, no tokens kept.
    await db.providerConnection.update({
      where: { userId_provider: { userId: planted[2]!.id, provider: "microsoft-entra-id" } },
      data: { status: "NEEDS_RECONNECT" },
    });
    await db.providerToken.deleteMany({ where: { userId: planted[2]!.id } });
    const cookie = await createSessionCookie(planted[1]!.id);
    await patFor(cookie, ["profile:read"]);
    await patFor(cookie, ["profile:read"]);
    const now = new Date();
    await db.personalAccessToken.create({
      data: {
        id: `pat_expired${Date.now()}`,
        userId: planted[1]!.id,
        name: "old",
        scopes: ["profile:read"],
        tokenHash: `h${Date.now()}`,
        tokenHint: "x",
        expiresAt: new Date(now.getTime() - 1000),
      },
    });

    const after = await getOverview();
    const delta = (list: { provider: string; count: number }[], before: { provider: string; count: number }[], provider: string) =>
      (list.find((r) => r.provider === provider)?.count ?? 0) - (before.find((r) => r.provider === provider)?.count ?? 0);
    expect(after.users - before.users).toBe(3);
    expect(delta(after.linkedAccounts, before.linkedAccounts, "microsoft-entra-id")).toBe(2);
    expect(delta(after.linkedAccounts, before.linkedAccounts, "google")).toBe(1);
    expect(delta(after.linkedAccounts, before.linkedAccounts, "github")).toBe(1);
    expect(delta(after.usersWithTokens, before.usersWithTokens, "microsoft-entra-id")).toBe(1);
    expect(delta(after.usersWithTokens, before.usersWithTokens, "github")).toBe(1);
    expect(after.needsReconnect - before.needsReconnect).toBe(1);
    expect(after.pats.active - before.pats.active).toBe(2);
    expect(after.pats.expired - before.pats.expired).toBe(1);

    const security = await getUserSecurity(planted[0]!.id);
    expect(describeStoredTokens(security!.storedTokens)).toBe("Microsoft (3), GitHub (1)");
    expect(security!.storedTokens.find((s) => s.provider === "microsoft-entra-id")!.tokenNames).toEqual(["access_token", "id_token", "refresh_token"]);
    expect(JSON.stringify(security)).not.toContain("v-access_token");

    const page = await listUsers({ q: planted[1]!.email!, sort: "created", cursor: undefined });
    expect(page.users).toHaveLength(1);
    expect(page.users[0]).toMatchObject({ providers: ["github"], activePats: 2, apiAccess: [] });
  });

  it("pages through users with a stable cursor", async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await listUsers({ q: "", sort: "last_sign_in", cursor });
      page.users.forEach((u) => {
        expect(seen.has(u.id)).toBe(false);
        seen.add(u.id);
      });
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.size).toBe(await getDb().user.count());
  });

  it("revoke all: PATs fail next call, sessions gone, no provider tokens, IdP says inactive, one audit event per revocation", async () => {
    const victim = await createUser({ email: "victim@example.com" });
    const victimCookie = await createSessionCookie(victim.id);
    await createSessionCookie(victim.id);
    const pats = [await patFor(victimCookie, ["profile:read"]), await patFor(victimCookie, ["profile:read", "tokens:read"])];
    const grants: Record<string, string> = {};
    for (const provider of ["google", "github"] as const) {
      const tokens = await obtainTokensByCodeFlow({
        issuer: demoIdp().issuer,
        clientId: DEMO_CLIENT_IDS[provider],
        clientSecret: SECRET,
        redirectUri: `${APP}/api/auth/callback/${provider}`,
        login: "victim",
        scope: provider === "github" ? "read:user repo" : "openid email offline_access",
      });
      grants[provider] = tokens.access_token;
      await storeSignInTokens(victim.id, provider, {
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        expiresAt: new Date(Date.now() + 300_000),
      });
    }

    const response = await callRoute(revokeAllRoute.POST, {
      method: "POST",
      path: `/api/admin/users/${victim.id}/revoke-all`,
      headers: sameOrigin(admin.cookie),
      params: { id: victim.id },
    });
    expect(response.status).toBe(200);
    const report = response.json();
    expect(report.providers.map((p: { provider: string; revocation: { status: string } }) => [p.provider, p.revocation.status]).sort()).toEqual([
      ["github", "revoked"],
      ["google", "revoked"],
    ]);
    expect(report.revokedPats).toHaveLength(2);
    expect(report.endedSessions).toBe(2);

    for (const pat of pats) expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${pat}` } })).status).toBe(401);
    expect(await getDb().session.count({ where: { userId: victim.id } })).toBe(0);
    expect((await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: victimCookie } })).status).toBe(401);
    expect(await getDb().providerToken.count({ where: { userId: victim.id } })).toBe(0);
    for (const provider of ["google", "github"] as const) {
      expect((await introspectToken(demoIdp().issuer, DEMO_CLIENT_IDS[provider], SECRET, grants[provider]!)).active).toBe(false);
    }
    const events = await getDb().auditEvent.findMany({ where: { subjectUserId: victim.id, actorId: admin.id } });
    const count = (action: string) => events.filter((e) => e.action === action).length;
    expect(count("connection.disconnected")).toBe(2);
    expect(count("pat.revoked")).toBe(2);
    expect(count("session.ended")).toBe(1);
    expect(count("admin.revoke_all")).toBe(1);
    expect(events.every((e) => e.actorType === "admin")).toBe(true);
  });

  it("never demotes the last admin; ADMIN_EMAILS promotes at sign-in and demotes when removed", async () => {
    const admins = await getDb().user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
    for (const extra of admins.slice(1)) expect((await setUserRole(extra.id, "USER", { type: "admin", id: admin.id })).ok).toBe(true);
    expect(await setUserRole(admins[0]!.id, "USER", { type: "admin", id: admin.id })).toMatchObject({ ok: false, code: "last_admin" });
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(1);

    const listed = await createUser({ email: "boss@example.com" });
    process.env.ADMIN_EMAILS = "boss@example.com, other@example.com";
    await recordSignIn({ userId: listed.id, email: "boss@example.com", account: null });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: listed.id } })).role).toBe("ADMIN");
    process.env.ADMIN_EMAILS = "other@example.com";
    await recordSignIn({ userId: listed.id, email: "boss@example.com", account: null });
    expect((await getDb().user.findUniqueOrThrow({ where: { id: listed.id } })).role).toBe("USER");
    delete process.env.ADMIN_EMAILS;
  });
});
