import { getDb } from "@/lib/db/client";
import { isHttpsRequest } from "@/lib/security/is-https-request";
import { hashSessionToken } from "./hash-session-token";
import { noteSessionSeen, type SessionClient } from "./session-activity";
import { rollSessionExpiry } from "./session-lifetime";

export type SessionUser = { id: string; name: string | null; email: string | null; role: "USER" | "ADMIN" };

// Auth.js's database-session cookie: the __Secure- name over https, the plain one over http.
export const SECURE_SESSION_COOKIE = "__Secure-authjs.session-token";
export const PLAIN_SESSION_COOKIE = "authjs.session-token";

type CookieReader = { get(name: string): { value: string } | undefined };
type HeaderReader = { get(name: string): string | null };

/** The session cookie's name for this request: the one Auth.js set, and the only one accepted. */
export function sessionCookieName(headers: HeaderReader, env?: Readonly<Record<string, string | undefined>>): string {
  return isHttpsRequest(headers, env) ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE;
}

/**
 * The session cookie's value. Over https only the __Secure- cookie counts: a sibling subdomain
 * (or a plain-http page on it) can set `authjs.session-token` for this host, but not a __Secure- one.
 */
export function readSessionToken(cookies: CookieReader, headers: HeaderReader, env?: Readonly<Record<string, string | undefined>>): string | null {
  return cookies.get(sessionCookieName(headers, env))?.value || null;
}

/** Cookies read from a plain `Request`'s Cookie header (Auth.js's handlers may get one without `.cookies`). */
export function cookiesFromHeader(headers: HeaderReader): CookieReader {
  const pairs = (headers.get("cookie") ?? "").split(";").map((part) => part.trim().split("="));
  return {
    get(name: string) {
      const pair = pairs.find(([key]) => key === name);
      if (!pair) return undefined;
      try {
        return { value: decodeURIComponent(pair.slice(1).join("=")) };
      } catch {
        return undefined;
      }
    },
  };
}

export type ValidatedSession = { user: SessionUser; expires: Date; extended: boolean; sessionId: string; authenticatedAt: Date };

/**
 * The session behind a cookie value, straight from the Session table (which holds only the
 * token's hash). An expired row is deleted on sight. With `roll` (middleware.ts, which runs before
 * every page and route and can re-set the cookie) a live one is extended when due: at most one
 * write a day, never past the absolute limit, and `extended` says so. Deleting the row (sign-out, "end sessions", "revoke all") signs the user out
 * on their very next request.
 */
export async function validateSessionToken(
  sessionToken: string | null,
  options: { roll?: boolean; now?: Date; seen?: SessionClient } = {},
): Promise<ValidatedSession | null> {
  const now = options.now ?? new Date();
  // Cookie values arrive percent-decoded ("%00" is a NUL). Session tokens are printable ASCII; anything else matches no session.
  if (!sessionToken || !/^[\x21-\x7e]{1,512}$/.test(sessionToken)) return null;
  const db = getDb();
  const tokenHash = hashSessionToken(sessionToken);
  const session = await db.session.findUnique({
    where: { sessionToken: tokenHash },
    select: {
      id: true,
      createdAt: true,
      expires: true,
      authenticatedAt: true,
      lastSeenAt: true,
      user: { select: { id: true, name: true, email: true, role: true } },
    },
  });
  if (!session) return null;
  if (session.expires.getTime() <= now.getTime()) {
    await db.session.deleteMany({ where: { id: session.id, expires: { lte: now } } });
    return null;
  }
  // "Last seen" for the sessions page (middleware.ts passes the request's client): throttled, at most one write in 5 minutes.
  if (options.seen) await noteSessionSeen(session, options.seen, now);
  const found = { user: session.user, sessionId: session.id, authenticatedAt: session.authenticatedAt };
  const rolled = options.roll ? rollSessionExpiry(session, now) : null;
  if (!rolled) return { ...found, expires: session.expires, extended: false };
  // Conditional on the old expiry: of two concurrent requests, one writes.
  const { count } = await db.session.updateMany({ where: { id: session.id, expires: session.expires }, data: { expires: rolled } });
  return { ...found, expires: rolled, extended: count === 1 };
}

/** The signed-in user behind a session cookie value, or null (middleware.ts already rolled the session). */
export async function findSessionUser(sessionToken: string | null): Promise<SessionUser | null> {
  return (await validateSessionToken(sessionToken))?.user ?? null;
}
