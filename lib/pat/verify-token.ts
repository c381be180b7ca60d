import { constantTimeEqual, hashSecret } from "@/lib/crypto";
import { getPool } from "@/lib/db/client";
import { getMetrics } from "@/lib/metrics/metrics";
import { parsePresentedPat } from "./format";
import { getPatPepper } from "./pat-pepper";
import { noteTokenUse } from "./record-token-use";

export type VerifiedToken = {
  token: { id: string; name: string; scopes: string[]; expiresAt: Date };
  user: { id: string; email: string | null; name: string | null; role: "USER" | "ADMIN" };
};

const LOOKUP_SQL = `
  SELECT p.id, p.name, p.scopes, p."tokenHash", p."expiresAt", p."revokedAt",
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
  const parsed = parsePresentedPat(presented);
  if (!parsed.ok) return { ok: false, reason: "malformed", checkedDatabase: false };

  const tokenHash = hashSecret(parsed.secret, getPatPepper());
  // One indexed lookup, token and owner in a single round trip (this runs on every API call).
  // Plain SQL on the pool under Prisma: no ORM work per call. Unnamed on purpose: the embedded database is
  // one PostgreSQL session shared by every connection, where a named statement would collide.
  const { rows } = await getPool().query<TokenRow>(LOOKUP_SQL, [tokenHash]);
  const row = rows[0];
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash)) return { ok: false, reason: "not_found", checkedDatabase: true };
  if (row.revokedAt) return { ok: false, reason: "revoked", checkedDatabase: true };
  const now = context.now ?? new Date();
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", checkedDatabase: true };

  noteTokenUse(row.id, context.ip, now);
  return {
    ok: true,
    token: { id: row.id, name: row.name, scopes: row.scopes, expiresAt: row.expiresAt },
    user: { id: row.userId, email: row.email, name: row.userName, role: row.role },
  };
}
