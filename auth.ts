import NextAuth from "next-auth";
import { safeRedirectUrl } from "@/lib/api/safe-callback-path";
import { createAuthAdapter } from "@/lib/auth/auth-adapter";
import { checkSignIn } from "@/lib/auth/check-sign-in";
import { confirmSignIn } from "@/lib/auth/confirm-sign-in";
import { readSessionClient } from "@/lib/auth/session-activity";
import { cookiesFromHeader, readSessionToken } from "@/lib/auth/session-user";
import { clientIp } from "@/lib/http/client-ip";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { buildAuthProviders } from "@/lib/auth/providers";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

// Configured per request (lazily) so `next build` never needs a database or provider credentials. The request
// (when there is one) tells the adapter where a sign-in comes from, and which session a re-sign-in confirms.
export const { handlers, auth, signIn, signOut } = NextAuth((request) => ({
  adapter: createAuthAdapter(getDb(), request ? readSessionClient(request.headers, clientIp(request.headers)) : undefined),
  session: { strategy: "database", maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
  providers: buildAuthProviders(),
  pages: { signIn: "/signin", error: "/signin" },
  trustHost: true,
  logger: {
    // Auth.js errors can carry provider responses; log only their names and messages.
    error: (error) => logger.error({ err: { name: error.name, message: error.message } }, "auth.js error"),
    warn: (code) => logger.warn({ code }, "auth.js warning"),
    debug: () => {},
  },
  callbacks: {
    // Before any user is created or account linked: unverified addresses are refused (to /signin with the reason).
    signIn: ({ account, profile }) => checkSignIn({ account, profile }),
    // Every redirect Auth.js makes after sign-in or sign-out stays on this origin (no open redirect).
    redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl),
  },
  events: {
    // Runs on every sign-in (linkAccount runs only on the first link): keeps stored tokens current.
    signIn: async ({ user, account }) => {
      if (user.id) await recordSignIn({ userId: user.id, email: user.email ?? null, account: account ?? null });
      // Signed in already (sudo mode's "Confirm it's you"): Auth.js keeps that session; note the fresh sign-in on it.
      if (user.id && request) await confirmSignIn(readSessionToken(cookiesFromHeader(request.headers), request.headers), user.id);
    },
  },
}));
