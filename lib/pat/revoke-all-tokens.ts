import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";

/**
 * "Revoke all my tokens": every active token of this one user stops on its next request. Other users'
 * tokens are untouched (the update is keyed on `userId`). One audit event names every token revoked;
 * nothing is written when there was nothing to revoke. Returns how many were revoked.
 */
export async function revokeAllTokens(userId: string, context: { actor: AuditActor; ip: string | null; now?: Date }): Promise<number> {
  const now = context.now ?? new Date();
  return getDb().$transaction(async (tx) => {
    // Under the credentials lock: a token being created or regenerated at this moment is either revoked here or made after.
    await lockUserCredentials(tx, userId);
    const live = await tx.personalAccessToken.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, name: true },
      orderBy: { createdAt: "asc" },
    });
    if (live.length === 0) return 0;
    const { count } = await tx.personalAccessToken.updateMany({
      where: { userId, id: { in: live.map((t) => t.id) }, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAuditEvent(
      {
        action: "pat.revoked_all",
        actor: context.actor,
        subjectUserId: userId,
        tokenNames: live.map((t) => t.name),
        ip: context.ip,
        detail: { count, patIds: live.map((t) => t.id) },
      },
      tx,
    );
    return count;
  }, CREDENTIALS_TRANSACTION);
}
