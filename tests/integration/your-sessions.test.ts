import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { beforeAll, expect, it } from "vitest";
import { createAuthAdapter } from "@/lib/auth/auth-adapter";
import { confirmSignIn } from "@/lib/auth/confirm-sign-in";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { listSessions } from "@/lib/auth/list-sessions";
import { LAST_SEEN_INTERVAL_MS } from "@/lib/auth/session-activity";
import { findSessionUser, validateSessionToken } from "@/lib/auth/session-user";
import { signOutOtherSessions, signOutSession } from "@/lib/auth/sign-out-sessions";
import { getDb } from "@/lib/db/client";
import { middleware } from "@/middleware";
import { createUser, TEST_ORIGIN } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/* Issue 25: "Your sessions" (device, address, signed in, last seen; sign out one or all others). */

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** A sign-in the way Auth.js makes one: through the adapter, with the sign-in request's address and browser. */
async function signIn(userId: string, client: { ip: string; userAgent: string }) {
  const sessionToken = randomUUID();
  await createAuthAdapter(getDb(), client).createSession!({ sessionToken, userId, expires: new Date(Date.now() + 86_400_000) });
  return sessionToken;
}

const row = (sessionToken: string) => getDb().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(sessionToken) } });

describeOnEachDatabase("your sessions", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createUser()).id;
  });

  it("a sign-in notes its browser and address; the list names the device in words and marks this device first", async () => {
    const laptop = await signIn(userId, { ip: "203.0.113.10", userAgent: FIREFOX });
    const desktop = await signIn(userId, { ip: "198.51.100.20", userAgent: CHROME });
    const sessions = await listSessions(userId, desktop);
    expect(sessions[0]).toMatchObject({ device: "Chrome on Linux", ip: "198.51.100.20", current: true });
    expect(sessions.find((s) => !s.current && s.device === "Firefox on Windows")).toMatchObject({ ip: "203.0.113.10" });
    // Never the cookie value or its hash.
    const text = JSON.stringify(sessions);
    for (const token of [laptop, desktop]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(hashSessionToken(token));
    }
  });

  it("page views note last seen at most every 5 minutes (a throttle, not a write per request)", async () => {
    const token = await signIn(userId, { ip: "203.0.113.30", userAgent: FIREFOX });
    const signedIn = (await row(token)).lastSeenAt!;
    const seen = { ip: "192.0.2.44", userAgent: CHROME };
    await validateSessionToken(token, { seen, now: new Date(signedIn.getTime() + 60_000) });
    expect((await row(token)).lastSeenAt).toEqual(signedIn);
    const later = new Date(signedIn.getTime() + LAST_SEEN_INTERVAL_MS + 1000);
    await validateSessionToken(token, { seen, now: later });
    expect(await row(token)).toMatchObject({ lastSeenAt: later, lastSeenIp: "192.0.2.44", userAgent: CHROME });
  });

  it("the middleware notes a page view's address and browser on the session", async () => {
    const token = await signIn(userId, { ip: "203.0.113.31", userAgent: FIREFOX });
    await getDb().session.updateMany({ where: { sessionToken: hashSessionToken(token) }, data: { lastSeenAt: new Date(Date.now() - 3600_000) } });
    const request = new NextRequest(new URL("/settings/sessions", TEST_ORIGIN), {
      headers: { cookie: `authjs.session-token=${token}`, "user-agent": CHROME, "x-forwarded-for": "198.51.100.77", host: "localhost:3000" },
    });
    await middleware(request);
    const after = await row(token);
    expect(after.lastSeenAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(after.userAgent).toBe(CHROME);
  });

  it("signs out one session of the owner's only, and all others while keeping this one; other people's stay", async () => {
    const owner = (await createUser()).id;
    const stranger = (await createUser()).id;
    const here = await signIn(owner, { ip: "203.0.113.1", userAgent: CHROME });
    const phone = await signIn(owner, { ip: "203.0.113.2", userAgent: FIREFOX });
    const tablet = await signIn(owner, { ip: "203.0.113.3", userAgent: FIREFOX });
    const theirs = await signIn(stranger, { ip: "203.0.113.4", userAgent: CHROME });
    const phoneId = (await row(phone)).id;

    expect(await signOutSession(phoneId, { userId: stranger, currentSessionToken: theirs, ip: null })).toBe("not_found");
    expect(await findSessionUser(phone)).not.toBeNull();
    expect(await signOutSession((await row(here)).id, { userId: owner, currentSessionToken: here, ip: null })).toBe("current");
    expect(await signOutSession(phoneId, { userId: owner, currentSessionToken: here, ip: "203.0.113.1" })).toBe("signed_out");
    expect(await findSessionUser(phone)).toBeNull();

    expect(await signOutOtherSessions({ userId: owner, currentSessionToken: here, ip: "203.0.113.1" })).toBe(1);
    expect(await findSessionUser(tablet)).toBeNull();
    expect((await findSessionUser(here))?.id).toBe(owner);
    expect((await findSessionUser(theirs))?.id).toBe(stranger);
    const audit = await getDb().auditEvent.findMany({ where: { action: "session.ended", subjectUserId: owner }, orderBy: { createdAt: "asc" } });
    expect(audit.map((event) => event.detail)).toEqual([
      { sessions: 1, by: "owner" },
      { sessions: 1, by: "owner" },
    ]);
  });

  it("a re-sign-in with the provider confirms the session it came with (sudo mode), only for the same person", async () => {
    const token = await signIn(userId, { ip: "203.0.113.5", userAgent: CHROME });
    const old = new Date(Date.now() - 3600_000);
    await getDb().session.updateMany({ where: { sessionToken: hashSessionToken(token) }, data: { authenticatedAt: old } });
    const someoneElse = (await createUser()).id;
    await confirmSignIn(token, someoneElse);
    expect((await row(token)).authenticatedAt).toEqual(old);
    await confirmSignIn(token, userId);
    expect((await row(token)).authenticatedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
