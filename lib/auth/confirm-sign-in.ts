import { getDb } from "@/lib/db/client";
import { hashSessionToken } from "./hash-session-token";

/**
 * A signed-in person signed in again with their provider ("Confirm it's you"): Auth.js keeps the session
 * it already had, so the sign-in is noted on that session, which sudo mode then counts as recent. Only a
 * session of the same user (the one the provider just vouched for) is touched.
 */
export async function confirmSignIn(sessionToken: string | null, userId: string, now = new Date()): Promise<void> {
  if (!sessionToken || !/^[\x21-\x7e]{1,512}$/.test(sessionToken)) return;
  await getDb().session.updateMany({ where: { sessionToken: hashSessionToken(sessionToken), userId }, data: { authenticatedAt: now } });
}
