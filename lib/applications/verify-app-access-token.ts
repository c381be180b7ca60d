import { constantTimeEqual } from "@/lib/crypto";
import { getPool } from "@/lib/db/client";
import type { VerifyResult } from "@/lib/pat/verify-token";
import { hashAppSecret, isAppAccessToken } from "./app-secrets";
import { noteGrantUse } from "./note-grant-use";

const LOOKUP_SQL = `
  SELECT t.id, t.scopes, t."tokenHash", t."expiresAt", t."revokedAt", t."grantId",
         a.id AS "applicationId", a."clientId", a.name AS "applicationName", a.status AS "applicationStatus",
         u.id AS "userId", u.email, u.name AS "userName", u.role
  FROM "OAuthAccessToken" t
  JOIN "OAuthGrant" g ON g.id = t."grantId"
  JOIN "OAuthApplication" a ON a.id = g."applicationId"
  JOIN "User" u ON u.id = g."userId"
  WHERE t."tokenHash" = $1`;

type Row = {
  id: string;
  scopes: string[];
  tokenHash: string;
  expiresAt: Date;
  revokedAt: Date | null;
  grantId: string;
  applicationId: string;
  clientId: string;
  applicationName: string;
  applicationStatus: "ACTIVE" | "DISABLED";
  userId: string;
  email: string | null;
  userName: string | null;
  role: "USER" | "ADMIN";
};

export function looksLikeAppAccessToken(presented: string | null | undefined): presented is string {
  return typeof presented === "string" && isAppAccessToken(presented.trim());
}

/**
 * The `tsr_oat_…` half of the one verify path (lib/pat/verify-token.ts): checksum → hash → one indexed
 * lookup with grant, app and person → constant-time compare → revoked / expired / app disabled. Revoking
 * the grant or deleting the app deletes the row (cascade), so those are `not_found`.
 */
export async function verifyAppAccessToken(presented: string, context: { now?: Date }): Promise<VerifyResult> {
  const secret = presented.trim();
  if (!isAppAccessToken(secret)) return { ok: false, reason: "malformed", checkedDatabase: false };
  const tokenHash = hashAppSecret(secret);
  const { rows } = await getPool().query<Row>(LOOKUP_SQL, [tokenHash]);
  const row = rows[0];
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash)) return { ok: false, reason: "not_found", checkedDatabase: true };
  if (row.revokedAt || row.applicationStatus !== "ACTIVE") return { ok: false, reason: "revoked", checkedDatabase: true };
  const now = context.now ?? new Date();
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", checkedDatabase: true };
  noteGrantUse(row.grantId, now);
  return {
    ok: true,
    token: { id: row.id, name: row.applicationName, scopes: row.scopes, expiresAt: row.expiresAt },
    user: { id: row.userId, email: row.email, name: row.userName, role: row.role },
    app: { id: row.applicationId, clientId: row.clientId, name: row.applicationName },
  };
}
