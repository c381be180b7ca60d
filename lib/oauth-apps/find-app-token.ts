import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { digestsEqual } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { hashAppSecret, isAppAccessToken, isAppRefreshToken } from "./app-secrets";
import { revokeTokenFamily } from "./revoke-token-family";

export type AppTokenIntrospection = {
  kind: "access" | "refresh";
  active: boolean;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  clientId: string;
  applicationId: string;
  user: { id: string; email: string | null };
};

/** An app access or refresh token as introspection sees it, or null when it is neither (or unknown). */
export async function findAppToken(presented: string, now = new Date()): Promise<AppTokenIntrospection | null> {
  const value = presented.trim();
  const kind = isAppAccessToken(value) ? "access" : isAppRefreshToken(value) ? "refresh" : null;
  if (!kind) return null;
  const tokenHash = hashAppSecret(value);
  const include = {
    grant: { include: { application: { select: { id: true, clientId: true, status: true } }, user: { select: { id: true, email: true } } } },
  } as const;
  const row =
    kind === "access"
      ? await getDb().oAuthAccessToken.findUnique({ where: { tokenHash }, include })
      : await getDb().oAuthRefreshToken.findUnique({ where: { tokenHash }, include });
  if (!row || !digestsEqual(row.tokenHash, tokenHash)) return null;
  const used = "usedAt" in row && row.usedAt !== null;
  const active = !row.revokedAt && !used && row.expiresAt.getTime() > now.getTime() && row.grant.application.status === "ACTIVE";
  return {
    kind,
    active,
    scopes: row.scopes,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    clientId: row.grant.application.clientId,
    applicationId: row.grant.application.id,
    user: row.grant.user,
  };
}

/**
 * RFC 7009 for app tokens: an access token ends alone; a refresh token ends with its whole family (the
 * access tokens it produced too, §2.1). `applicationId`: the authenticated app, which may only revoke
 * its own tokens; null when the token itself is the proof (whoever holds it may end it).
 */
export async function revokeAppToken(presented: string, applicationId: string | null, ip: string | null, now = new Date()): Promise<void> {
  const found = await findAppToken(presented, now);
  if (!found || (applicationId !== null && found.applicationId !== applicationId)) return;
  const tokenHash = hashAppSecret(presented.trim());
  await getDb().$transaction(async (tx) => {
    if (found.kind === "access") {
      await tx.oAuthAccessToken.updateMany({ where: { tokenHash, revokedAt: null }, data: { revokedAt: now } });
      return;
    }
    const row = await tx.oAuthRefreshToken.findUnique({ where: { tokenHash }, select: { familyId: true } });
    if (!row) return;
    const revoked = await revokeTokenFamily(tx, row.familyId, now);
    if (revoked > 0) {
      await recordAuditEvent(
        {
          action: "application.grant_revoked",
          actor: { type: "application", id: found.applicationId },
          subjectUserId: found.user.id,
          ip,
          detail: { applicationId: found.applicationId, clientId: found.clientId, via: "revocation_endpoint", tokensRevoked: revoked },
        },
        tx,
      );
    }
  });
}
