import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as rotateRoutes from "@/app/api/tokens/[id]/rotate/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { getDb } from "@/lib/db/client";
import { flushTokenUse, resetTokenUseThrottle } from "@/lib/pat/record-token-use";
import { listTokenIncidents } from "@/lib/pat/list-token-incidents";
import { markNotificationsRead } from "@/lib/notifications/list-notifications";
import { callRoute, createSessionCookie, createUser, sameOrigin, TEST_ORIGIN } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Mutation check (done once, red on PostgreSQL, restored): in lib/pat/rotate-token.ts, removing
 * `await lockUserCredentials(tx, user.id)` and the claim's `replacedById: null, revokedAt: null` condition
 * made "two rotations of one token at once…" get [201, 201, 201, 201, 201, 409] instead of one 201.
 */
type Created = { id: string; token: string; name: string; scopes: string[]; expiresAt: string; createdAt: string };

const bearer = (token: string, ip = "198.51.100.20") => ({ authorization: `Bearer ${token}`, "x-forwarded-for": ip });

afterEach(() => {
  vi.useRealTimers();
});

describeOnEachDatabase("PAT rotation", () => {
  let alice: { id: string; cookie: string };
  let bob: { id: string; cookie: string };

  beforeAll(async () => {
    const a = await createUser({ email: "rot-alice@example.com" });
    const b = await createUser({ email: "rot-bob@example.com" });
    alice = { id: a.id, cookie: await createSessionCookie(a.id) };
    bob = { id: b.id, cookie: await createSessionCookie(b.id) };
  });

  async function createPat(cookie: string, body: Record<string, unknown>): Promise<Created> {
    const response = await callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: sameOrigin(cookie), body });
    expect(response.status, response.text).toBe(201);
    return response.json();
  }

  const rotate = (id: string, headers: Record<string, string>, body?: unknown) =>
    callRoute(rotateRoutes.POST, { method: "POST", path: `/api/tokens/${id}/rotate`, headers, body, params: { id } });
  const me = (token: string, ip?: string) => callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token, ip) });
  const row = (id: string) => getDb().personalAccessToken.findUniqueOrThrow({ where: { id } });

  it("a session regenerates a token: the new value once, same name and scopes, the old one stops at once", async () => {
    const old = await createPat(alice.cookie, { name: "deploy", scopes: ["profile:read", "tokens:read"], expiresInDays: 30 });
    const response = await rotate(old.id, sameOrigin(alice.cookie));
    expect(response.status, response.text).toBe(201);
    const fresh = response.json();
    expect(Object.keys(fresh).sort()).toEqual(["createdAt", "expiresAt", "id", "name", "previousToken", "scopes", "token", "tokenHint"]);
    expect(fresh).toMatchObject({ name: "deploy", scopes: ["profile:read", "tokens:read"], previousToken: { id: old.id } });
    expect(fresh.token).toMatch(/^tsr_pat_[0-9A-Za-z]{49}$/);
    expect(fresh.id).not.toBe(old.id);
    // Same lifetime as the original (30 days), counted from now.
    expect(Math.abs(Date.parse(fresh.expiresAt) - Date.parse(fresh.createdAt) - 30 * 86_400_000)).toBeLessThan(1000);

    expect((await me(fresh.token)).status).toBe(200);
    expect((await me(old.token)).status).toBe(401);
    expect(await row(old.id)).toMatchObject({ revokedReason: "rotated", replacedById: fresh.id, familyId: old.id });

    // The list names it, never its value.
    const list = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: alice.cookie } });
    expect(list.text).not.toContain(fresh.token);
    expect(list.json().tokens.find((t: { id: string }) => t.id === old.id)).toMatchObject({
      status: "revoked",
      revokedReason: "rotated",
      rotatedAt: expect.any(String),
    });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.rotated", patId: fresh.id } });
    expect(audit).toMatchObject({
      subjectUserId: alice.id,
      tokenNames: ["deploy"],
      detail: expect.objectContaining({ previousPatId: old.id, overlapSeconds: 0 }),
    });
    expect(JSON.stringify(audit)).not.toContain(fresh.token);
  });

  it("honours the overlap to the millisecond: the old token works until stopsAt, not at it", async () => {
    const old = await createPat(alice.cookie, { name: "overlap", scopes: ["profile:read"], expiresInDays: 7 });
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const response = await rotate(old.id, sameOrigin(alice.cookie), { overlapSeconds: 30 });
    expect(response.status, response.text).toBe(201);
    const fresh = response.json();
    expect(Date.parse(fresh.previousToken.stopsAt)).toBe(start + 30_000);

    vi.setSystemTime(start + 29_999);
    expect((await me(old.token)).status, "1 ms before the end").toBe(200);
    expect((await me(fresh.token)).status).toBe(200);
    vi.setSystemTime(start + 30_000);
    expect((await me(old.token)).status, "at the end").toBe(401);
  });

  it("reuse of a rotated-out token after its overlap revokes the whole family, once", async () => {
    const first = await createPat(bob.cookie, { name: "chain", scopes: ["profile:read", "tokens:write"], expiresInDays: 7 });
    const second = (await rotate(first.id, sameOrigin(bob.cookie))).json();
    const third = (await rotate(second.id, sameOrigin(bob.cookie), { overlapSeconds: 3600 })).json();
    expect((await me(second.token)).status, "second is in its overlap").toBe(200);
    expect((await me(third.token)).status).toBe(200);

    // The first token, rotated out with no overlap, shows up again.
    expect((await me(first.token, "192.0.2.99")).status).toBe(401);
    expect((await me(second.token)).status).toBe(401);
    expect((await me(third.token)).status).toBe(401);
    expect(await row(third.id)).toMatchObject({ revokedReason: "reuse_detected", familyId: first.id });
    const detected = await getDb().auditEvent.findMany({ where: { action: "pat.reuse_detected", subjectUserId: bob.id } });
    expect(detected).toHaveLength(1);
    expect(detected[0]).toMatchObject({ patId: first.id, ip: "192.0.2.99", actorType: "system" });
    expect((detected[0]!.detail as { revokedPatIds: string[] }).revokedPatIds.sort()).toEqual([second.id, third.id].sort());
    const revokedEvents = await getDb().auditEvent.findMany({ where: { action: "pat.revoked", patId: { in: [second.id, third.id] } } });
    expect(revokedEvents.map((event) => event.patId).sort()).toEqual([second.id, third.id].sort());
    expect(revokedEvents.every((event) => (event.detail as { reason?: string }).reason === "reuse_detected")).toBe(true);

    // Trying again changes nothing and records nothing more.
    expect((await me(first.token)).status).toBe(401);
    expect(await getDb().auditEvent.count({ where: { action: "pat.reuse_detected", subjectUserId: bob.id } })).toBe(1);

    // Bob hears of it once (issue 25 §8: the banner listed each revoked row of the chain), and it ends when he
    // dismisses it: the banner's line is a notification.
    const incidents = (await listTokenIncidents(bob.id)).filter((incident) => incident.name === "chain");
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ reason: "reuse_detected" });
    expect(await getDb().notification.count({ where: { userId: bob.id, kind: "pat.reuse_detected" } })).toBe(1);
    await markNotificationsRead(bob.id, incidents[0]!.id);
    expect((await listTokenIncidents(bob.id)).filter((incident) => incident.name === "chain")).toEqual([]);
  });

  it("a rotated-out token used within its overlap is no reuse", async () => {
    const old = await createPat(bob.cookie, { name: "grace", scopes: ["profile:read"], expiresInDays: 7 });
    const fresh = (await rotate(old.id, sameOrigin(bob.cookie), { overlapSeconds: 600 })).json();
    for (let i = 0; i < 3; i++) expect((await me(old.token)).status).toBe(200);
    expect((await me(fresh.token)).status).toBe(200);
    expect(await getDb().auditEvent.count({ where: { action: "pat.reuse_detected", patId: old.id } })).toBe(0);
  });

  it("POST /api/tokens/current/rotate: the presented PAT rotates itself", async () => {
    const old = await createPat(alice.cookie, { name: "self", scopes: ["profile:read", "tokens:write"], expiresInDays: 10 });
    const response = await callRoute(rotateRoutes.POST, {
      method: "POST",
      path: "/api/tokens/current/rotate",
      headers: bearer(old.token),
      body: { overlapSeconds: 60, expiresInDays: 3 },
      params: { id: "current" },
    });
    expect(response.status, response.text).toBe(201);
    const fresh = response.json();
    expect(fresh).toMatchObject({ name: "self", scopes: ["profile:read", "tokens:write"], previousToken: { id: old.id } });
    expect(Math.abs(Date.parse(fresh.expiresAt) - Date.now() - 3 * 86_400_000)).toBeLessThan(5000);
    expect((await me(old.token)).status, "overlap").toBe(200);

    // With a session there is no "current" token; without tokens:write a PAT may not rotate at all.
    const withSession = await callRoute(rotateRoutes.POST, {
      method: "POST",
      path: "/api/tokens/current/rotate",
      headers: sameOrigin(alice.cookie),
      params: { id: "current" },
    });
    expect(withSession.status).toBe(400);
    const readOnly = await createPat(alice.cookie, { name: "read-only", scopes: ["profile:read"], expiresInDays: 7 });
    const refused = await callRoute(rotateRoutes.POST, {
      method: "POST",
      path: "/api/tokens/current/rotate",
      headers: bearer(readOnly.token),
      params: { id: "current" },
    });
    expect(refused.status).toBe(403);
    expect(refused.json().error.code).toBe("insufficient_scope");
    expect((await me(readOnly.token)).status).toBe(200);
  });

  it("checks owner, scope, origin, state and input", async () => {
    const target = await createPat(alice.cookie, { name: "target", scopes: ["profile:read", "connections:read"], expiresInDays: 7 });
    const narrow = await createPat(alice.cookie, { name: "narrow-writer", scopes: ["tokens:write", "profile:read"], expiresInDays: 7 });
    const before = await getDb().personalAccessToken.count();

    // A tokens:write PAT cannot mint a copy of a token with scopes it lacks.
    const escalation = await rotate(target.id, bearer(narrow.token));
    expect(escalation.status).toBe(403);
    expect(escalation.json().error.code).toBe("insufficient_scope");
    // Another user (session or PAT) gets the 404 of an unknown token.
    const bobsPat = await createPat(bob.cookie, { name: "bobs-writer", scopes: ["tokens:write", "profile:read", "connections:read"], expiresInDays: 7 });
    const beforeBob = await getDb().personalAccessToken.count();
    expect((await rotate(target.id, sameOrigin(bob.cookie))).status).toBe(404);
    expect((await rotate(target.id, bearer(bobsPat.token))).status).toBe(404);
    expect((await rotate("pat_doesnotexist", sameOrigin(alice.cookie))).status).toBe(404);
    expect((await rotate("../etc", sameOrigin(alice.cookie))).status).toBe(404);
    // Cross-site with a session, and signed out.
    expect((await rotate(target.id, { cookie: alice.cookie, origin: "http://evil.example", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await rotate(target.id, { origin: TEST_ORIGIN })).status).toBe(401);
    // Bad input: clear 400s.
    for (const [body, code] of [
      [{ overlapSeconds: 86_401 }, "invalid_request"],
      [{ overlapSeconds: -1 }, "invalid_request"],
      [{ overlapSeconds: 1.5 }, "invalid_request"],
      [{ expiresInDays: 0 }, "invalid_request"],
      [{ expiresInDays: 366 }, "invalid_expiry"],
      [{ extra: true }, "invalid_request"],
      ["{nope", "invalid_json"],
    ] as const) {
      const response = await rotate(target.id, sameOrigin(alice.cookie), body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatchObject({ code, message: expect.any(String) });
    }
    expect(await getDb().personalAccessToken.count()).toBe(beforeBob);
    expect(beforeBob).toBe(before + 1);
    expect((await me(target.token)).status).toBe(200);

    // A PAT holding every scope of the target may rotate it; a rotated or revoked token cannot be rotated again.
    const wide = await createPat(alice.cookie, { name: "wide-writer", scopes: ["tokens:write", "profile:read", "connections:read"], expiresInDays: 7 });
    expect((await rotate(target.id, bearer(wide.token))).status).toBe(201);
    const again = await rotate(target.id, sameOrigin(alice.cookie));
    expect(again.status).toBe(409);
    expect(again.json().error.code).toBe("already_rotated");
    await getDb().personalAccessToken.update({ where: { id: narrow.id }, data: { revokedAt: new Date() } });
    const dead = await rotate(narrow.id, sameOrigin(alice.cookie));
    expect(dead.status).toBe(409);
    expect(dead.json().error.code).toBe("token_inactive");
  });

  it("two rotations of one token at once yield exactly one live successor", async () => {
    const old = await createPat(bob.cookie, { name: "race", scopes: ["profile:read", "tokens:write"], expiresInDays: 7 });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2
          ? rotate(old.id, sameOrigin(bob.cookie), { overlapSeconds: 60 })
          : callRoute(rotateRoutes.POST, {
              method: "POST",
              path: "/api/tokens/current/rotate",
              headers: bearer(old.token),
              params: { id: "current" },
              body: { overlapSeconds: 60 },
            }),
      ),
    );
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const family = await getDb().personalAccessToken.findMany({ where: { familyId: old.id } });
    expect(family).toHaveLength(2);
    const winner = attempts.find((attempt) => attempt.status === 201)!.json();
    expect((await row(old.id)).replacedById).toBe(winner.id);
    expect(await getDb().auditEvent.count({ where: { action: "pat.rotated", detail: { path: ["previousPatId"], equals: old.id } } })).toBe(1);
  });

  it("keeps the last 5 distinct client addresses, newest first, writing only when something changed", async () => {
    resetTokenUseThrottle();
    const { token, id } = await createPat(alice.cookie, { name: "addresses", scopes: ["profile:read", "tokens:read"], expiresInDays: 7 });
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const uses: [string, number][] = [
      ["203.0.113.1", 0],
      ["203.0.113.2", 1],
      ["2001:db8::1", 2],
      ["203.0.113.1", 70], // seen again over a minute later: moves to the front, not listed twice
      ["203.0.113.3", 71],
      ["203.0.113.4", 72],
      ["203.0.113.5", 73],
    ];
    for (const [ip, second] of uses) {
      vi.setSystemTime(start + second * 1000);
      expect((await me(token, ip)).status).toBe(200);
      await flushTokenUse();
    }
    const at = (second: number) => new Date(start + second * 1000).toISOString();
    const stored = await row(id);
    expect(stored.recentClients).toEqual([
      { ip: "203.0.113.5", at: at(73) },
      { ip: "203.0.113.4", at: at(72) },
      { ip: "203.0.113.3", at: at(71) },
      { ip: "203.0.113.1", at: at(70) },
      { ip: "2001:db8::1", at: at(2) },
    ]);
    expect(stored.lastUsedIp).toBe("203.0.113.5");
    expect(stored.lastUsedAt?.getTime()).toBe(start + 73_000);

    // The same address again within a minute: no write. Over a minute later: one.
    vi.setSystemTime(start + 100_000);
    await me(token, "203.0.113.5");
    await flushTokenUse();
    expect((await row(id)).lastUsedAt?.getTime()).toBe(start + 73_000);
    // Another instance (no in-memory throttle) is held back by the statement's own WHERE.
    resetTokenUseThrottle();
    await me(token, "203.0.113.5");
    await flushTokenUse();
    expect((await row(id)).lastUsedAt?.getTime()).toBe(start + 73_000);
    vi.setSystemTime(start + 161_000);
    await me(token, "203.0.113.5");
    await flushTokenUse();
    expect(await row(id)).toMatchObject({
      lastUsedAt: new Date(start + 161_000),
      recentClients: [{ ip: "203.0.113.5", at: at(161) }, ...(stored.recentClients as unknown[]).slice(1)],
    });

    // The list (the tokens page and the admin page read the same view) shows them.
    const list = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: alice.cookie } });
    const listed = list.json().tokens.find((t: { id: string }) => t.id === id);
    expect(listed.recentClients.map((client: { ip: string }) => client.ip)).toEqual([
      "203.0.113.5",
      "203.0.113.4",
      "203.0.113.3",
      "203.0.113.1",
      "2001:db8::1",
    ]);
  });
});
