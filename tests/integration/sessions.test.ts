import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import * as tokenRoutes from "@/app/api/tokens/route";
import { middleware } from "@/middleware";
import { createAuthAdapter } from "@/lib/auth/auth-adapter";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "@/lib/auth/session-lifetime";
import { findSessionUser, validateSessionToken } from "@/lib/auth/session-user";
import { getDb } from "@/lib/db/client";
import { callRoute, createUser, TEST_ORIGIN } from "../helpers/fixtures";
import { describeOnEachDatabase, type TestDatabase } from "../helpers/test-database";

const DAY = 24 * 3600_000;

async function dumpSessionTable(database: TestDatabase): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return JSON.stringify((await client.query(`SELECT * FROM "Session"`)).rows);
  } finally {
    await client.end();
  }
}

/** A session the way Auth.js creates one at sign-in: through the adapter, with a UUID cookie value. */
async function signIn(userId: string, expires = new Date(Date.now() + SESSION_IDLE_MS)) {
  const sessionToken = randomUUID();
  const session = await createAuthAdapter(getDb()).createSession!({ sessionToken, userId, expires });
  return { sessionToken, session };
}

const listTokens = (cookie: string, headers: Record<string, string> = {}) =>
  callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie, ...headers } });

describeOnEachDatabase("sessions", (current) => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createUser({ email: `sessions-${randomUUID()}@example.com` })).id;
  });

  it("the Session table holds only a hash: a dump does not contain the cookie value, yet the cookie signs in", async () => {
    // Guards hashSessionToken (lib/auth/hash-session-token.ts) as used by the adapter's createSession.
    const { sessionToken, session } = await signIn(userId);
    // Auth.js puts what createSession returns into the cookie: the value, not the hash.
    expect(session.sessionToken).toBe(sessionToken);
    const dump = await dumpSessionTable(current());
    expect(dump).not.toContain(sessionToken);
    expect(dump).toContain(hashSessionToken(sessionToken));

    expect((await findSessionUser(sessionToken))?.id).toBe(userId);
    expect((await listTokens(`authjs.session-token=${sessionToken}`)).status).toBe(200);
    // The stored value itself is not a credential.
    expect(await findSessionUser(hashSessionToken(sessionToken))).toBeNull();
    expect((await listTokens(`authjs.session-token=${hashSessionToken(sessionToken)}`)).status).toBe(401);
  });

  it("the adapter finds, extends and deletes sessions by cookie value (Auth.js's session and sign-out paths)", async () => {
    const adapter = createAuthAdapter(getDb());
    const { sessionToken } = await signIn(userId);
    const found = await adapter.getSessionAndUser!(sessionToken);
    expect(found).toMatchObject({ user: { id: userId }, session: { sessionToken } });

    // Auth.js asks for now + 30 days; never beyond 90 days after sign-in.
    const updated = await adapter.updateSession!({ sessionToken, expires: new Date(Date.now() + 200 * DAY) });
    expect(updated!.sessionToken).toBe(sessionToken);
    const row = await getDb().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(sessionToken) } });
    expect(row.expires.getTime()).toBe(row.createdAt.getTime() + SESSION_ABSOLUTE_MS);

    await adapter.deleteSession!(sessionToken);
    expect(await adapter.getSessionAndUser!(sessionToken)).toBeNull();
    expect(await findSessionUser(sessionToken)).toBeNull();
    await expect(adapter.deleteSession!(sessionToken)).resolves.not.toThrow();
  });

  it("an expired session is refused and its row purged; a sign-in purges everyone's expired rows", async () => {
    // Guards the deleteMany in validateSessionToken (session-user.ts) and in the adapter's createSession.
    const { sessionToken } = await signIn(userId);
    await getDb().session.update({ where: { sessionToken: hashSessionToken(sessionToken) }, data: { expires: new Date(Date.now() - 1000) } });
    expect((await listTokens(`authjs.session-token=${sessionToken}`)).status).toBe(401);
    expect(await getDb().session.count({ where: { sessionToken: hashSessionToken(sessionToken) } })).toBe(0);

    const other = await createUser();
    const stale = await getDb().session.create({
      data: { sessionToken: hashSessionToken(randomUUID()), userId: other.id, expires: new Date(Date.now() - DAY) },
    });
    const live = await signIn(other.id);
    expect(await getDb().session.count({ where: { id: stale.id } })).toBe(0);
    expect((await findSessionUser(live.sessionToken))?.id).toBe(other.id);
  });

  it("activity extends a session at most once a day, never past 90 days after sign-in", async () => {
    // Guards rollSessionExpiry and capSessionExpiry (lib/auth/session-lifetime.ts).
    const { sessionToken } = await signIn(userId);
    const hash = hashSessionToken(sessionToken);
    const row = () => getDb().session.findUniqueOrThrow({ where: { sessionToken: hash } });
    const signedInAt = (await row()).createdAt.getTime();
    const initial = (await row()).expires.getTime();

    // Same day: no write.
    const soon = await validateSessionToken(sessionToken, { roll: true, now: new Date(signedInAt + 3600_000) });
    expect(soon).toMatchObject({ extended: false });
    expect((await row()).expires.getTime()).toBe(initial);
    // Without roll (pages, route handlers read only): no write either.
    expect(await validateSessionToken(sessionToken, { now: new Date(signedInAt + 20 * DAY) })).toMatchObject({ extended: false });
    expect((await row()).expires.getTime()).toBe(initial);

    // Used 20 days later: 30 more days from then.
    const day20 = new Date(signedInAt + 20 * DAY);
    expect(await validateSessionToken(sessionToken, { roll: true, now: day20 })).toMatchObject({
      extended: true,
      expires: new Date(day20.getTime() + SESSION_IDLE_MS),
    });
    expect((await row()).expires.getTime()).toBe(day20.getTime() + SESSION_IDLE_MS);
    // Past the first expiry, the session still works because it was used.
    expect((await validateSessionToken(sessionToken, { now: new Date(initial + DAY) }))?.user.id).toBe(userId);

    // Used every few weeks, it still ends 90 days after sign-in.
    for (const day of [45, 70, 85, 89]) await validateSessionToken(sessionToken, { roll: true, now: new Date(signedInAt + day * DAY) });
    expect((await row()).expires.getTime()).toBe(signedInAt + SESSION_ABSOLUTE_MS);
    expect(await validateSessionToken(sessionToken, { roll: true, now: new Date(signedInAt + SESSION_ABSOLUTE_MS + 1000) })).toBeNull();
    expect(await getDb().session.count({ where: { sessionToken: hash } })).toBe(0);
  });

  it("over https only the __Secure- cookie counts; over http only the plain one", async () => {
    // Guards readSessionToken's one-name lookup (lib/auth/session-user.ts); it used to try both names.
    const { sessionToken } = await signIn(userId);
    const https = { "x-forwarded-proto": "https" };
    expect((await listTokens(`__Secure-authjs.session-token=${sessionToken}`, https)).status).toBe(200);
    // A sibling subdomain can toss the plain name at this host; over https it is ignored.
    expect((await listTokens(`authjs.session-token=${sessionToken}`, https)).status).toBe(401);
    expect((await listTokens(`authjs.session-token=${sessionToken}`)).status).toBe(200);
    expect((await listTokens(`__Secure-authjs.session-token=${sessionToken}`)).status).toBe(401);

    // AUTH_URL decides when it is set (as it does for Auth.js's cookie names).
    process.env.AUTH_URL = "https://tessera.example.com";
    try {
      expect((await listTokens(`authjs.session-token=${sessionToken}`)).status).toBe(401);
      expect((await listTokens(`__Secure-authjs.session-token=${sessionToken}`)).status).toBe(200);
    } finally {
      delete process.env.AUTH_URL;
    }
  });

  describe("middleware", () => {
    const request = (pathname: string, cookie?: string, headers: Record<string, string> = {}) =>
      new NextRequest(new URL(pathname, TEST_ORIGIN), { headers: { ...(cookie ? { cookie } : {}), ...headers } });

    it("signed out: /settings and /admin go to sign-in with the callback; public pages do not", async () => {
      for (const pathname of ["/settings/tokens?x=1", "/admin", "/settings"]) {
        const response = await middleware(request(pathname));
        expect(response.status, pathname).toBe(307);
        const location = new URL(response.headers.get("location")!);
        expect(location.pathname).toBe("/signin");
        expect(location.searchParams.get("callbackUrl")).toBe(pathname);
        expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      }
      for (const pathname of ["/", "/signin", "/settingsx", "/api/health"])
        expect((await middleware(request(pathname))).headers.get("location"), pathname).toBeNull();
    });

    it("sends sign-in to the address the person opened; with AUTH_URL, a sign-in on another host goes there first", async () => {
      // Next's request URL always says localhost: the Host header is what the browser opened.
      const at127 = await middleware(request("/settings", undefined, { host: "127.0.0.1:3000" }));
      expect(new URL(at127.headers.get("location")!).origin).toBe("http://127.0.0.1:3000");
      expect((await middleware(request("/signin", undefined, { host: "127.0.0.1:3000" }))).headers.get("location")).toBeNull();

      process.env.AUTH_URL = "https://tessera.example.com";
      try {
        const elsewhere = await middleware(request("/signin?callbackUrl=%2Fsettings", undefined, { host: "10.0.0.7:3000" }));
        expect(elsewhere.status).toBe(307);
        expect(elsewhere.headers.get("location")).toBe("https://tessera.example.com/signin?callbackUrl=%2Fsettings");
        // A path that looks like another host stays a path on AUTH_URL.
        const crafted = await middleware(request("//evil.example/signin", undefined, { host: "10.0.0.7:3000" }));
        if (crafted.headers.get("location")) expect(new URL(crafted.headers.get("location")!).host).not.toBe("evil.example");
        expect((await middleware(request("/signin", undefined, { host: "tessera.example.com" }))).headers.get("location")).toBeNull();
        // API calls at another address are not redirected (a curl to 127.0.0.1 with a PAT keeps working).
        expect((await middleware(request("/api/health", undefined, { host: "127.0.0.1:3000" }))).headers.get("location")).toBeNull();
        const privatePage = await middleware(request("/admin", undefined, { host: "10.0.0.7:3000" }));
        expect(new URL(privatePage.headers.get("location")!).origin).toBe("https://tessera.example.com");
      } finally {
        delete process.env.AUTH_URL;
      }
    });

    it("hands Next.js the response's nonce and sets the headers; HSTS only over https", async () => {
      const response = await middleware(request("/"));
      const csp = response.headers.get("content-security-policy")!;
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
      expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("strict-transport-security")).toBeNull();
      const other = await middleware(request("/", undefined, { "x-forwarded-proto": "https" }));
      expect(/'nonce-([^']+)'/.exec(other.headers.get("content-security-policy")!)![1]).not.toBe(nonce);
      expect(other.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    });

    it("rolls a session that is due and re-sets the cookie's expiry; not for writes", async () => {
      const { sessionToken } = await signIn(userId);
      const hash = hashSessionToken(sessionToken);
      // Signed in 10 days ago, last extended then.
      const tenDaysAgo = new Date(Date.now() - 10 * DAY);
      await getDb().session.update({
        where: { sessionToken: hash },
        data: { createdAt: tenDaysAgo, expires: new Date(tenDaysAgo.getTime() + SESSION_IDLE_MS) },
      });

      const post = await middleware(
        new NextRequest(new URL("/settings/tokens", TEST_ORIGIN), { method: "POST", headers: { cookie: `authjs.session-token=${sessionToken}` } }),
      );
      expect(post.headers.get("location")).toBeNull();
      expect(post.headers.get("set-cookie")).toBeNull();

      const response = await middleware(request("/settings/tokens", `authjs.session-token=${sessionToken}`));
      expect(response.headers.get("location")).toBeNull();
      const expires = (await getDb().session.findUniqueOrThrow({ where: { sessionToken: hash } })).expires;
      expect(expires.getTime()).toBeGreaterThan(Date.now() + SESSION_IDLE_MS - 60_000);
      const setCookie = response.headers.get("set-cookie")!;
      expect(setCookie).toContain(`authjs.session-token=${sessionToken}`);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=lax/i);
      expect(new Date(/Expires=([^;]+)/i.exec(setCookie)![1]!).getTime()).toBe(Math.floor(expires.getTime() / 1000) * 1000);

      // Already extended today: no second write, no cookie.
      expect((await middleware(request("/", `authjs.session-token=${sessionToken}`))).headers.get("set-cookie")).toBeNull();
    });
  });

  it("the migration converts existing plaintext rows, so nobody is signed out by it", async () => {
    const dir = readdirSync("prisma/migrations").find((name) => name.endsWith("_hash_session_tokens"))!;
    const sql = readFileSync(path.join("prisma/migrations", dir, "migration.sql"), "utf8");
    const conversion = sql
      .split(";")
      .map((statement) => statement.replace(/--.*$/gm, "").trim())
      .find((statement) => statement.startsWith(`UPDATE "Session" SET "sessionToken"`));
    expect(conversion).toBeDefined();
    // A row as Auth.js wrote it before this change: the cookie value in plaintext.
    const plaintext = `legacy-${randomUUID()}`;
    await getDb().session.create({ data: { sessionToken: plaintext, userId, expires: new Date(Date.now() + DAY) } });
    const client = new pg.Client({ connectionString: current().url });
    await client.connect();
    try {
      // The migration's own statement, limited to the legacy row (the others here are hashed already).
      await client.query(`${conversion} WHERE "sessionToken" LIKE 'legacy-%'`);
    } finally {
      await client.end();
    }
    expect(await dumpSessionTable(current())).not.toContain(plaintext);
    expect((await findSessionUser(plaintext))?.id).toBe(userId);
  });
});
