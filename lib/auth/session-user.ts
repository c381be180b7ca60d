import { getDb } from "@/lib/db/client";

export type SessionUser = { id: string; name: string | null; email: string | null; role: "USER" | "ADMIN" };

// Auth.js's database-session cookie: the __Secure- name over https, the plain one over http.
export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export function readSessionToken(getCookie: (name: string) => string | undefined): string | null {
  for (const name of SESSION_COOKIE_NAMES) {
    const value = getCookie(name);
    if (value) return value;
  }
  return null;
}

/**
 * The user behind a session cookie, straight from the Session table Auth.js writes. Deleting the
 * row (sign-out, "end sessions", "revoke all") signs the user out on their very next request.
 */
export async function findSessionUser(sessionToken: string | null): Promise<SessionUser | null> {
  // Cookie values arrive percent-decoded: "%00" is a NUL, which PostgreSQL refuses with an error (a 500).
  // Session tokens are printable ASCII; anything else matches no session.
  if (!sessionToken || !/^[\x21-\x7e]{1,512}$/.test(sessionToken)) return null;
  const session = await getDb().session.findUnique({
    where: { sessionToken },
    select: { expires: true, user: { select: { id: true, name: true, email: true, role: true } } },
  });
  if (!session || session.expires.getTime() <= Date.now()) return null;
  return session.user;
}
