import type { Account, Profile } from "next-auth";
import { logger } from "@/lib/log/logger";
import { readVerifiedEmail } from "./read-verified-email";

/** The /signin error code for a provider that asserted an address it has not verified. */
export const EMAIL_NOT_VERIFIED_ERROR = "EmailNotVerified";

/**
 * Auth.js `callbacks.signIn`: runs before any user is created or account linked. A sign-in whose provider
 * asserts an unverified address is turned away (no User, no Account row) to /signin with a clear error:
 * otherwise anyone could claim an ADMIN_EMAILS address, or squat someone's address before they first sign in.
 */
export function checkSignIn(input: { account?: Account | null; profile?: Profile | null }): true | string {
  const { account, profile } = input;
  if (!account || (account.type !== "oauth" && account.type !== "oidc")) return true;
  const verification = readVerifiedEmail(account.provider, profile as Record<string, unknown> | undefined);
  if (verification.status !== "unverified") return true;
  // No address in the log: it is exactly what someone may be trying to squat.
  logger.warn({ provider: account.provider }, "sign-in refused: the provider did not verify the email address");
  return `/signin?error=${EMAIL_NOT_VERIFIED_ERROR}&provider=${encodeURIComponent(account.provider)}`;
}
