import { looksLikeAppAccessToken, verifyAppAccessToken } from "@/lib/applications/verify-app-access-token";
import { constantTimeEqual, hashSecret } from "@/lib/crypto";
import { getPool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { getMetrics } from "@/lib/metrics/metrics";
import { parsePresentedPat } from "./format";
import { getPatPepper } from "./pat-pepper";
import { noteTokenUse } from "./record-token-use";
import { revokeTokenFamily } from "./revoke-token-family";

export type VerifiedToken = {
  token: { id: string; name: string; scopes: string[]; expiresAt: Date };
  user: { id: string; email: string | null; name: string | null; role: "USER" | "ADMIN" };
  /** Set when the token is a third-party application's access token (tsr_oat_…): the app that acts. */
  app?: { id: string; clientId: string; name: string };
};

const LOOKUP_SQL = `
  SELECT p.id, p.name, p.scopes, p."tokenHash", p."expiresAt", p."revokedAt", p."replacedById", p."familyId",
         u.id AS "userId", u.email, u.name AS "userName", u.role
  FROM "PersonalAccessToken" p JOIN "User" u ON u.id = p."userId"
  WHERE p."tokenHash" = $1`;

type TokenRow = {
  id: string;
  name: string;
  scopes: string[];
  tokenHash: string;
  expiresAt: Date;
  revokedAt: Date | null;
  replacedById: string | null;
  familyId: string | null;
  userId: string;
  email: string | null;
  userName: string | null;
  role: "USER" | "ADMIN";
};

/** Why a presented token was refused. Callers answer all of them identically (401 invalid_token). */
export type VerifyFailure = "malformed" | "not_found" | "revoked" | "expired";
export type VerifyResult = ({ ok: true } & VerifiedToken) | { ok: false; reason: VerifyFailure; checkedDatabase: boolean };

/**
 * The PAT check that runs on every API call, top to bottom: parse → checksum (typos, truncation and
 * junk end here, without a query) → hash → one indexed lookup → constant-time compare → revoked /
 * expired. Nothing is cached, so a revocation holds on the next request in every instance.
 */
export async function verifyToken(presented: string | null | undefined, context: { ip: string | null; now?: Date }): Promise<VerifyResult> {
  const result = await verifyUncounted(presented, context);
  getMetrics().patVerifications.inc({ outcome: result.ok ? "ok" : result.reason });
  return result;
}

async function verifyUncounted(presented: string | null | undefined, context: { ip: string | null; now?: Date }): Promise<VerifyResult> {
  // OAuth application access tokens take the same path from here on (issue 12); their lookup is their own.
  if (looksLikeAppAccessToken(presented)) return verifyAppAccessToken(presented, context);
  const parsed = parsePresentedPat(presented);
  if (!parsed.ok) return { ok: false, reason: "malformed", checkedDatabase: false };

  const tokenHash = hashSecret(parsed.secret, getPatPepper());
  // One indexed lookup, token and owner in a single round trip (this runs on every API call).
  // Plain SQL on the pool under Prisma: no ORM work per call. Unnamed on purpose: the embedded database is
  // one PostgreSQL session shared by every connection, where a named statement would collide.
  const { rows } = await getPool().query<TokenRow>(LOOKUP_SQL, [tokenHash]);
  const row = rows[0];
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash)) return { ok: false, reason: "not_found", checkedDatabase: true };
  const now = context.now ?? new Date();
  const stopped = row.revokedAt !== null || row.expiresAt.getTime() <= now.getTime();
  // A rotated-out token after its overlap: reuse. Its whole family goes (rare path, so a transaction here).
  if (stopped && row.replacedById && row.familyId) await detectReuse({ id: row.id, userId: row.userId, familyId: row.familyId, name: row.name }, context.ip, now);
  if (row.revokedAt) return { ok: false, reason: "revoked", checkedDatabase: true };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", checkedDatabase: true };

  noteTokenUse(row.id, context.ip, now);
  return {
    ok: true,
    token: { id: row.id, name: row.name, scopes: row.scopes, expiresAt: row.expiresAt },
    user: { id: row.userId, email: row.email, name: row.userName, role: row.role },
  };
}

async function detectReuse(reused: { id: string; userId: string; familyId: string; name: string }, ip: string | null, now: Date): Promise<void> {
  try {
    const revoked = await revokeTokenFamily(reused, ip, now);
    if (revoked) logger.warn({ patId: reused.id, userId: reused.userId, familyId: reused.familyId, revoked }, "rotated-out PAT reused: its token family was revoked");
  } catch (error) {
    // The presented token is refused either way; a failed family revocation must be seen.
    logger.error({ err: error, patId: reused.id, userId: reused.userId }, "rotated-out PAT reused, but revoking its family failed");
  }
}
