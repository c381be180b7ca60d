import NextAuth from "next-auth";
import { safeRedirectUrl } from "@/lib/api/safe-callback-path";
import { createAuthAdapter } from "@/lib/auth/auth-adapter";
import { checkSignIn } from "@/lib/auth/check-sign-in";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { buildAuthProviders } from "@/lib/auth/providers";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

// Configured per request (lazily) so `next build` never needs a database or provider credentials.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: createAuthAdapter(getDb()),
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
    },
  },
}));
