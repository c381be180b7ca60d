import type { RotatedOutPat } from "@/lib/access-tokens/verify-credential";
import { logger } from "@/lib/log/logger";
import { revokeTokenFamily } from "./revoke-token-family";

/*
 * The checks themselves live in lib/access-tokens (verifyCredential, issue 21); the bearer check every
 * API call runs is lib/api/verify-bearer-token.ts. What stays here is what a PAT check leads to in this
 * folder: the result shape API callers see, and reuse detection for rotated-out PATs.
 */
export type VerifiedToken = {
  token: { id: string; name: string; scopes: string[]; expiresAt: Date };
  user: { id: string; email: string | null; name: string | null; role: "USER" | "ADMIN" };
  /** Set when the token is a third-party application's access token (tsr_oat_…): the app that acts. */
  app?: { id: string; clientId: string; name: string };
};

/** Why a presented token was refused. Callers answer all of them identically (401 invalid_token). */
export type VerifyFailure = "malformed" | "not_found" | "revoked" | "expired";
export type VerifyResult = ({ ok: true } & VerifiedToken) | { ok: false; reason: VerifyFailure; checkedDatabase: boolean };

/** A rotated-out token after its overlap: reuse. Its whole family goes (rare path, so a transaction here). */
export async function detectPatReuse(reused: RotatedOutPat, ip: string | null, now: Date): Promise<void> {
  try {
    const revoked = await revokeTokenFamily(reused, ip, now);
    if (revoked)
      logger.warn({ patId: reused.id, userId: reused.userId, familyId: reused.familyId, revoked }, "rotated-out PAT reused: its token family was revoked");
  } catch (error) {
    // The presented token is refused either way; a failed family revocation must be seen.
    logger.error({ err: error, patId: reused.id, userId: reused.userId }, "rotated-out PAT reused, but revoking its family failed");
  }
}
