import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount, AdapterSession } from "next-auth/adapters";
import type { Db } from "@/lib/db/client";
import { hashSessionToken } from "./hash-session-token";
import type { SessionClient } from "./session-activity";
import { capSessionExpiry } from "./session-lifetime";

/**
 * @auth/prisma-adapter typed against Tessera's generated client (its own types import
 * `@prisma/client`, which the Prisma 7 generator leaves empty, so its parameter is `any`).
 * The Account row keeps only the login link: the provider's tokens are stored encrypted by
 * events.signIn through the ProviderTokenStore, never in plaintext here.
 * Sessions: the table stores hashSessionToken(cookie value); Auth.js sees the cookie value.
 * Expiry never passes the absolute limit, and each new session purges expired rows. `client` (the sign-in
 * request's address and browser) is noted on the new session for the sessions page.
 */
export function createAuthAdapter(db: Db, client: SessionClient = { ip: null, userAgent: null }): Adapter {
  const base = PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]);
  const withCookieValue = <T extends AdapterSession>(session: T, sessionToken: string): T => ({ ...session, sessionToken });
  return {
    ...base,
    linkAccount: (account: AdapterAccount) => base.linkAccount!({ ...account, access_token: undefined, refresh_token: undefined, id_token: undefined }),

    async createSession(session) {
      const now = new Date();
      // Opportunistic clean-up (no job system yet): sign-ins are rare enough, and the index makes it cheap.
      await db.session.deleteMany({ where: { expires: { lte: now } } });
      // Written directly (not through the base adapter) to note where the sign-in came from, for the sessions page.
      const created = await db.session.create({
        data: {
          userId: session.userId,
          sessionToken: hashSessionToken(session.sessionToken),
          expires: capSessionExpiry(now, session.expires),
          authenticatedAt: now,
          lastSeenAt: now,
          lastSeenIp: client.ip,
          userAgent: client.userAgent,
        },
      });
      return withCookieValue(created, session.sessionToken);
    },
    async getSessionAndUser(sessionToken) {
      const found = await base.getSessionAndUser!(hashSessionToken(sessionToken));
      return found && { user: found.user, session: withCookieValue(found.session, sessionToken) };
    },
    async updateSession(session) {
      const tokenHash = hashSessionToken(session.sessionToken);
      const row = await db.session.findUnique({ where: { sessionToken: tokenHash }, select: { createdAt: true } });
      if (!row) return null;
      const expires = session.expires && capSessionExpiry(row.createdAt, session.expires);
      const updated = await db.session.update({ where: { sessionToken: tokenHash }, data: { ...(expires && { expires }) } });
      return withCookieValue(updated, session.sessionToken);
    },
    async deleteSession(sessionToken) {
      // Signing out twice (two tabs) is not an error.
      await db.session.deleteMany({ where: { sessionToken: hashSessionToken(sessionToken) } });
    },
  };
}
