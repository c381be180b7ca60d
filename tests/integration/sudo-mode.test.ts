// First: it sets up the request storage Next reads (before Next's modules load).
import { runServerAction } from "../helpers/run-server-action";
import { beforeAll, expect, it } from "vitest";
import * as adminActions from "@/app/admin/actions";
import * as revokeAllRoute from "@/app/api/admin/users/[id]/revoke-all/route";
import * as applicationRoutes from "@/app/api/applications/route";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as rotateRoute from "@/app/api/tokens/[id]/rotate/route";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { RECENT_SIGN_IN_MS } from "@/lib/auth/require-recent-sign-in";
import { getDb } from "@/lib/db/client";
import { callRoute, createSessionCookie, createTokenAsUser, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 25, sudo mode: creating a credential and an admin's revoke-all need a recent sign-in (a session whose
 * person signed in within 10 minutes); a PAT is not asked (it has no sign-in to be recent).
 */

/** A browser session whose sign-in was `minutesAgo` minutes ago. */
async function sessionSignedIn(userId: string, minutesAgo: number): Promise<string> {
  const cookie = await createSessionCookie(userId);
  await getDb().session.updateMany({
    where: { sessionToken: hashSessionToken(cookie.slice(cookie.indexOf("=") + 1)) },
    data: { authenticatedAt: new Date(Date.now() - minutesAgo * 60_000) },
  });
  return cookie;
}

const createPat = (cookie: string, name: string) =>
  callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: sameOrigin(cookie), body: { name, scopes: ["profile:read"], expiresInDays: 7 } });

describeOnEachDatabase("sudo mode", () => {
  let user: { id: string; role: "USER" | "ADMIN" };
  beforeAll(async () => {
    user = await createUser();
  });

  it("creating a PAT with a session signed in 11 minutes ago answers 403 recent_sign_in_required, and creates nothing", async () => {
    expect(RECENT_SIGN_IN_MS).toBe(10 * 60_000);
    const stale = await sessionSignedIn(user.id, 11);
    const before = await getDb().personalAccessToken.count({ where: { userId: user.id } });
    const refused = await createPat(stale, "stale");
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ error: { code: "recent_sign_in_required", message: expect.stringContaining("Confirm it's you") } });
    expect(await getDb().personalAccessToken.count({ where: { userId: user.id } })).toBe(before);

    const fresh = await sessionSignedIn(user.id, 9);
    expect((await createPat(fresh, "fresh")).status).toBe(201);
  });

  it("regenerating with a stale session is refused; a PAT with tokens:write is not asked (documented)", async () => {
    const target = await createTokenAsUser(user, { name: `to-rotate-${Math.random()}`, scopes: ["profile:read"], expiresInDays: 7 });
    if (!target.ok) throw new Error(target.message);
    const stale = await sessionSignedIn(user.id, 30);
    const path = `/api/tokens/${target.view.id}/rotate`;
    const refused = await callRoute(rotateRoute.POST, { method: "POST", path, params: { id: target.view.id }, headers: sameOrigin(stale) });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe("recent_sign_in_required");

    const writer = await createTokenAsUser(user, { name: `writer-${Math.random()}`, scopes: ["profile:read", "tokens:write"], expiresInDays: 7 });
    if (!writer.ok) throw new Error(writer.message);
    const byPat = await callRoute(rotateRoute.POST, {
      method: "POST",
      path,
      params: { id: target.view.id },
      headers: { authorization: `Bearer ${writer.token}` },
    });
    expect(byPat.status).toBe(201);
  });

  it("registering an OAuth application: a stale session is refused, a PAT with applications:write is not", async () => {
    const body = { name: `app-${Math.random()}`, redirectUris: ["https://app.example/callback"], confidential: true };
    const stale = await sessionSignedIn(user.id, 15);
    const refused = await callRoute(applicationRoutes.POST, { method: "POST", path: "/api/applications", headers: sameOrigin(stale), body });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe("recent_sign_in_required");

    const pat = await createTokenAsUser(user, { name: `apps-${Math.random()}`, scopes: ["applications:write"], expiresInDays: 7 });
    if (!pat.ok) throw new Error(pat.message);
    const byPat = await callRoute(applicationRoutes.POST, {
      method: "POST",
      path: "/api/applications",
      headers: { authorization: `Bearer ${pat.token}` },
      body,
    });
    expect(byPat.status).toBe(201);
  });

  it("an admin's revoke-all: the route answers 403 and the server action sends the admin to confirm it's them, back to the user's page", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const victim = await createUser();
    const victimSession = await createSessionCookie(victim.id);
    const stale = await sessionSignedIn(admin.id, 20);

    const refused = await callRoute(revokeAllRoute.POST, {
      method: "POST",
      path: `/api/admin/users/${victim.id}/revoke-all`,
      params: { id: victim.id },
      headers: sameOrigin(stale),
    });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe("recent_sign_in_required");

    const form = new FormData();
    form.set("userId", victim.id);
    const outcome = await runServerAction(adminActions.revokeAllAction, form, { cookie: stale }, "/admin/users");
    expect(outcome).toEqual({ kind: "redirect", location: `/signin?reauth=1&callbackUrl=${encodeURIComponent(`/admin/users/${victim.id}`)}` });
    // Nothing was ended.
    expect(await getDb().session.count({ where: { sessionToken: hashSessionToken(victimSession.slice(victimSession.indexOf("=") + 1)) } })).toBe(1);

    const fresh = await sessionSignedIn(admin.id, 1);
    const done = await runServerAction(adminActions.revokeAllAction, form, { cookie: fresh }, "/admin/users");
    expect(done.kind).not.toBe("thrown");
    expect(await getDb().session.count({ where: { userId: victim.id } })).toBe(0);
  });
});
