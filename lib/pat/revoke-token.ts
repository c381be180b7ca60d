import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/**
 * Revokes one of the user's tokens. Returns false when the user has no token with that id (someone
 * else's tokens are indistinguishable from unknown ones). Revoking a revoked token is a no-op. `reason`
 * is for revocations no person asked for: its code is shown with the token, its detail audited.
 */
export async function revokeToken(
  userId: string,
  tokenId: string,
  actor: AuditActor,
  ip: string | null = null,
  reason?: { code: string; detail: string },
): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const token = await tx.personalAccessToken.findFirst({ where: { id: tokenId, userId }, select: { id: true, name: true, revokedAt: true } });
    if (!token) return false;
    if (token.revokedAt) return true;
    await tx.personalAccessToken.update({ where: { id: token.id }, data: { revokedAt: new Date(), revokedReason: reason?.code ?? null } });
    await recordAuditEvent(
      {
        action: "pat.revoked",
        actor,
        subjectUserId: userId,
        patId: token.id,
        tokenNames: [token.name],
        ip,
        ...(reason ? { detail: { reason: reason.detail } } : {}),
      },
      tx,
    );
    return true;
  });
}
