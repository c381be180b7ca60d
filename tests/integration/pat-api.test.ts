import pg from "pg";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as tokenIdRoutes from "@/app/api/tokens/[id]/route";
import * as meRoutes from "@/app/api/v1/me/route";
import * as v1TokenRoutes from "@/app/api/v1/tokens/route";
import * as v1ConnectionRoutes from "@/app/api/v1/connections/route";
import { MAX_FAILURES } from "@/lib/rate-limit/auth-failure-limiter";
import { hashSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { generatePatSecret } from "@/lib/pat/format";
import { flushTokenUse, resetTokenUseThrottle } from "@/lib/pat/record-token-use";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

// RFC 6750's challenge plus RFC 9728's pointer to how an OAuth client gets a token for /api/v1 (issue 22).
const RESOURCE_METADATA = 'resource_metadata="http://localhost:3000/.well-known/oauth-protected-resource/api/v1"';
const INVALID = `Bearer realm="tessera", error="invalid_token", ${RESOURCE_METADATA}`;

async function createPat(cookie: string, body: Record<string, unknown>) {
  const response = await callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: sameOrigin(cookie), body });
  expect(response.status, response.text).toBe(201);
  return response.json() as { id: string; token: string; name: string; scopes: string[]; tokenHint: string; expiresAt: string };
}

const bearer = (token: string, ip = "198.51.100.1") => ({ authorization: `Bearer ${token}`, "x-forwarded-for": ip });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describeOnEachDatabase("personal access tokens over the API", () => {
  let alice: { id: string; cookie: string };
  let bob: { id: string; cookie: string };

  beforeAll(async () => {
    const a = await createUser({ email: "alice@example.com" });
    const b = await createUser({ email: "bob@example.com" });
    alice = { id: a.id, cookie: await createSessionCookie(a.id) };
    bob = { id: b.id, cookie: await createSessionCookie(b.id) };
  });

  it("returns the token once at creation; lists never contain it or its hash", async () => {
    const created = await createPat(alice.cookie, { name: "ci", scopes: ["profile:read", "tokens:read"], expiresInDays: 30 });
    expect(created.token).toMatch(/^tsr_pat_[0-9A-Za-z]+$/);
    expect(Object.keys(created).sort()).toEqual(["createdAt", "expiresAt", "id", "name", "scopes", "token", "tokenHint"].sort());
    const hash = hashSecret(created.token, process.env.PAT_HASH_PEPPER!);

    const viaSession = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: alice.cookie } });
    const viaPat = await callRoute(v1TokenRoutes.GET, { path: "/api/v1/tokens", headers: bearer(created.token) });
    const viaPatLegacy = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { "x-api-key": created.token } });
    for (const response of [viaSession, viaPat, viaPatLegacy]) {
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(created.token);
      expect(response.text).not.toContain(created.token.slice(8, 40));
      expect(response.text).not.toContain(hash);
      const listed = response.json().tokens.find((t: { id: string }) => t.id === created.id);
      expect(listed).toMatchObject({ name: "ci", status: "active", tokenHint: created.tokenHint, revokedAt: null });
    }
  });

  it("answers curl-style calls: 200 with the scope, 403 without, 401 after revocation", async () => {
    const { token, id } = await createPat(alice.cookie, { name: "script", scopes: ["profile:read"], expiresInDays: 7 });
    const me = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token) });
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({
      id: alice.id,
      email: "alice@example.com",
      name: "alice",
      role: "USER",
      token: { id, name: "script", scopes: ["profile:read"], expiresAt: expect.any(String) },
    });

    const forbidden = await callRoute(v1ConnectionRoutes.GET, { path: "/api/v1/connections", headers: bearer(token) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toBe(
      `Bearer realm="tessera", error="insufficient_scope", scope="connections:read", ${RESOURCE_METADATA}`,
    );
    expect(forbidden.json().error.code).toBe("insufficient_scope");

    const revoke = await callRoute(tokenIdRoutes.DELETE, { method: "DELETE", path: `/api/tokens/${id}`, headers: sameOrigin(alice.cookie), params: { id } });
    expect(revoke.status).toBe(204);
    const after = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token) });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toBe(INVALID);
  });

  it("refuses an expired token (clock moved past expiry) exactly like an unknown one", async () => {
    const { token } = await createPat(alice.cookie, { name: "short", scopes: ["profile:read"], expiresInDays: 1 });
    const unknown = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(generatePatSecret()) });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2 * 24 * 3600_000 });
    const expired = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token) });
    vi.useRealTimers();
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toBe(INVALID);
    expect(expired.text).toBe(unknown.text);
  });

  it("rejects malformed tokens with 401 without a single database query", async () => {
    const { token } = await createPat(alice.cookie, { name: "typo", scopes: ["profile:read"], expiresInDays: 7 });
    const last = token.at(-1)!;
    const cases = {
      wrongChecksum: token.slice(0, -1) + (last === "a" ? "b" : "a"),
      wrongPrefix: token.replace("tsr_pat_", "tsr_xyz_"),
      truncated: token.slice(0, -3),
      huge: "tsr_pat_" + "a".repeat(10_000),
      nonAscii: token.slice(0, 20) + "é" + token.slice(21),
      empty: "",
    };
    // Every SQL statement, from Prisma's pool or the rate limiter's, goes through pg.Client#query.
    const query = vi.spyOn(pg.Client.prototype, "query");
    for (const [label, value] of Object.entries(cases)) {
      const headers = label === "nonAscii" ? { "x-api-key": encodeURIComponent(value), "x-forwarded-for": "198.51.100.9" } : bearer(value, "198.51.100.9");
      const response = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers });
      expect(response.status, label).toBe(401);
      expect(response.headers.get("www-authenticate"), label).toBe(INVALID);
    }
    expect(query).not.toHaveBeenCalled();
    // Control: the spy does see the lookup a well-formed token needs.
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token) })).status).toBe(200);
    expect(query).toHaveBeenCalled();
  });

  it("keeps users apart on every path: list, revoke and use", async () => {
    const alices = await createPat(alice.cookie, { name: "alice-only", scopes: ["profile:read", "tokens:read", "tokens:write"], expiresInDays: 7 });
    const bobs = await createPat(bob.cookie, { name: "bob-admin-of-nothing", scopes: ["tokens:read", "tokens:write", "profile:read"], expiresInDays: 7 });

    const bobList = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: bob.cookie } });
    expect(bobList.json().tokens.map((t: { name: string }) => t.name)).toEqual(["bob-admin-of-nothing"]);
    const bobListByPat = await callRoute(v1TokenRoutes.GET, { path: "/api/v1/tokens", headers: bearer(bobs.token) });
    expect(bobListByPat.json().tokens.map((t: { name: string }) => t.name)).toEqual(["bob-admin-of-nothing"]);

    const bySession = await callRoute(tokenIdRoutes.DELETE, {
      method: "DELETE",
      path: `/api/tokens/${alices.id}`,
      headers: sameOrigin(bob.cookie),
      params: { id: alices.id },
    });
    expect(bySession.status).toBe(404);
    const byPat = await callRoute(tokenIdRoutes.DELETE, {
      method: "DELETE",
      path: `/api/tokens/${alices.id}`,
      headers: bearer(bobs.token),
      params: { id: alices.id },
    });
    expect(byPat.status).toBe(404);
    const unknown = await callRoute(tokenIdRoutes.DELETE, {
      method: "DELETE",
      path: "/api/tokens/pat_doesnotexist",
      headers: bearer(bobs.token),
      params: { id: "pat_doesnotexist" },
    });
    expect(unknown.status).toBe(404);
    expect(byPat.text).toBe(unknown.text);

    const cursorOfOther = await callRoute(tokenRoutes.GET, { path: `/api/tokens?cursor=${alices.id}`, headers: { cookie: bob.cookie } });
    expect(cursorOfOther.status).toBe(400);

    const stillWorks = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(alices.token) });
    expect(stillWorks.json().id).toBe(alice.id);
  });

  it("DELETE /api/tokens/current revokes the token that authenticates the call", async () => {
    const { token } = await createPat(bob.cookie, { name: "self-destruct", scopes: ["tokens:write", "profile:read"], expiresInDays: 7 });
    const response = await callRoute(tokenIdRoutes.DELETE, {
      method: "DELETE",
      path: "/api/tokens/current",
      headers: bearer(token),
      params: { id: "current" },
    });
    expect(response.status).toBe(204);
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token) })).status).toBe(401);
  });

  it("authenticates the self-describing form by its secret only; editing the description grants nothing", async () => {
    const created = await createPat(alice.cookie, { name: "Deploy Bot", scopes: ["profile:read"], expiresInDays: 30, selfDescribing: true });
    expect(created.token).toMatch(/^deploy-bot-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}--tsr_pat_/);
    const secret = created.token.slice(created.token.lastIndexOf("--") + 2);
    const edited = `admin-2000-01-01-2999-12-31--${secret}`;
    for (const form of [created.token, secret, edited]) {
      const me = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(form) });
      expect(me.status).toBe(200);
      expect(me.json().token).toMatchObject({ id: created.id, scopes: ["profile:read"], expiresAt: created.expiresAt });
    }
    const stillNoScope = await callRoute(v1TokenRoutes.GET, { path: "/api/v1/tokens", headers: bearer(edited) });
    expect(stillNoScope.status).toBe(403);
  });

  it("validates creation input with clear 4xx errors and writes nothing on failure", async () => {
    const before = await getDb().personalAccessToken.count();
    const bad: [unknown, number, string][] = [
      [{ name: "", scopes: ["profile:read"], expiresInDays: 7 }, 400, "invalid_request"],
      [{ name: "x".repeat(101), scopes: ["profile:read"], expiresInDays: 7 }, 400, "invalid_request"],
      [{ name: "n", scopes: [], expiresInDays: 7 }, 400, "invalid_request"],
      [{ name: "n", scopes: ["repo:write"], expiresInDays: 7 }, 400, "invalid_request"],
      [{ name: "n", scopes: ["profile:read"] }, 400, "invalid_request"],
      [{ name: "n", scopes: ["profile:read"], expiresInDays: 366 }, 400, "invalid_expiry"],
      [{ name: "n", scopes: ["profile:read"], expiresAt: "2001-01-01" }, 400, "invalid_expiry"],
      [{ name: "n", scopes: ["admin"], expiresInDays: 7 }, 403, "scope_not_allowed"],
      ["{not json", 400, "invalid_json"],
    ];
    for (const [body, status, code] of bad) {
      const response = await callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: sameOrigin(alice.cookie), body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(response.json().error).toMatchObject({ code, message: expect.any(String) });
    }
    await createPat(alice.cookie, { name: "unique-name", scopes: ["profile:read"], expiresInDays: 7 });
    const duplicate = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(alice.cookie),
      body: { name: "unique-name", scopes: ["profile:read"], expiresInDays: 7 },
    });
    expect(duplicate.status).toBe(409);
    expect(await getDb().personalAccessToken.count()).toBe(before + 1);
  });

  it("accepts creation only from a same-origin session, never from a token or another site", async () => {
    const { token } = await createPat(alice.cookie, { name: "not-a-minter", scopes: ["tokens:write"], expiresInDays: 7 });
    const body = { name: "minted", scopes: ["profile:read"], expiresInDays: 7 };
    const withPat = await callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: bearer(token), body });
    expect(withPat.status).toBe(401);
    const crossSite = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: { cookie: alice.cookie, origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      body,
    });
    expect(crossSite.status).toBe(403);
    const signedOut = await callRoute(tokenRoutes.POST, { method: "POST", path: "/api/tokens", headers: { origin: "http://localhost:3000" }, body });
    expect(signedOut.status).toBe(401);
  });

  it("paginates newest first with a cursor", async () => {
    const user = await createUser();
    const cookie = await createSessionCookie(user.id);
    for (const name of ["one", "two", "three"]) await createPat(cookie, { name, scopes: ["profile:read"], expiresInDays: 7 });
    const first = await callRoute(tokenRoutes.GET, { path: "/api/tokens?limit=2", headers: { cookie } });
    expect(first.json().tokens.map((t: { name: string }) => t.name)).toEqual(["three", "two"]);
    const second = await callRoute(tokenRoutes.GET, { path: `/api/tokens?limit=2&cursor=${first.json().nextCursor}`, headers: { cookie } });
    expect(second.json()).toMatchObject({ tokens: [{ name: "one" }], nextCursor: null });
  });

  it("records last use (time and IP) at most once a minute per address", async () => {
    resetTokenUseThrottle();
    const { token, id } = await createPat(alice.cookie, { name: "used", scopes: ["profile:read"], expiresInDays: 7 });
    await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token, "203.0.113.7") });
    await flushTokenUse();
    const first = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id } });
    expect(first.lastUsedIp).toBe("203.0.113.7");
    await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token, "203.0.113.7") });
    await flushTokenUse();
    const second = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id } });
    expect(second.lastUsedAt).toEqual(first.lastUsedAt);
    // A new address is recorded at once (issue 13: the last 5 distinct addresses).
    await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token, "203.0.113.8") });
    await flushTokenUse();
    const third = await getDb().personalAccessToken.findUniqueOrThrow({ where: { id } });
    expect(third.lastUsedIp).toBe("203.0.113.8");
    expect((third.recentClients as { ip: string }[]).map((client) => client.ip)).toEqual(["203.0.113.8", "203.0.113.7"]);
  });

  it("rate-limits repeated failures from one IP with 429 and Retry-After", async () => {
    const { token } = await createPat(alice.cookie, { name: "limited", scopes: ["profile:read"], expiresInDays: 7 });
    const unknownButWellFormed = generatePatSecret();
    let last = { status: 0, headers: new Headers() };
    for (let i = 0; i <= MAX_FAILURES; i++) {
      last = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(unknownButWellFormed, "192.0.2.50") });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(token, "192.0.2.51") });
    expect(other.status).toBe(200);
  });
});
