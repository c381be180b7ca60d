import { getDb } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { hashSessionToken } from "./hash-session-token";

/*
 * Sudo mode (issue 25, like GitHub's): creating a credential (a PAT, an OAuth application or its new secret, a
 * service client or its new secret) and an administrator's "revoke all" need a browser session whose person
 * signed in with their provider within the last RECENT_SIGN_IN_MS. A stolen session cookie alone then cannot
 * mint a lasting credential. The one rule, here; withApi (`recentSignIn: true`) and withAction
 * (`recentSignIn: true`) enforce it.
 *
 * Tokens are not asked: a PAT or an application token has no sign-in to be recent. It was made by a person in
 * sudo mode, and its scopes (`tokens:write`, `applications:write`, `admin`) are the limit of what it may do.
 */
export const RECENT_SIGN_IN_MS = 10 * 60_000;
export const RECENT_SIGN_IN_MINUTES = RECENT_SIGN_IN_MS / 60_000;

export function isRecentSignIn(authenticatedAt: Date, now = new Date()): boolean {
  return now.getTime() - authenticatedAt.getTime() <= RECENT_SIGN_IN_MS;
}

/** True when the session behind this cookie value signed in (or confirmed it's them) recently. */
export async function hasRecentSignIn(sessionToken: string | null, now = new Date()): Promise<boolean> {
  if (!sessionToken || !/^[\x21-\x7e]{1,512}$/.test(sessionToken)) return false;
  const session = await getDb().session.findUnique({ where: { sessionToken: hashSessionToken(sessionToken) }, select: { authenticatedAt: true } });
  return session !== null && isRecentSignIn(session.authenticatedAt, now);
}

/**
 * The JSON API's refusal: 403 `recent_sign_in_required`, which the UI answers by sending the person to confirm it's
 * them. Takes the time withApi read with the session itself (no second query that a revoke-all could race).
 */
export function throwIfSignInNotRecent(authenticatedAt: Date, now = new Date()): void {
  if (isRecentSignIn(authenticatedAt, now)) return;
  throw new ApiError(
    "recent_sign_in_required",
    `Confirm it's you: this needs a sign-in within the last ${RECENT_SIGN_IN_MINUTES} minutes. Sign in again with your provider (GET /signin?reauth=1), then retry.`,
  );
}

/** Where "Confirm it's you" happens: the sign-in page in its re-authentication mode, back to `returnTo` after. */
export function confirmItsYouPath(returnTo: string): string {
  return `/signin?reauth=1&callbackUrl=${encodeURIComponent(returnTo)}`;
}
