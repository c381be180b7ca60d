import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { notifyTokenIncident } from "./notify-token-incident";

/**
 * Reuse detection (refresh-token style): a rotated-out token was presented after it stopped, so either
 * its old holder never switched or someone else has a copy. Every still-live token of its rotation
 * family is revoked (a stolen old token and the rotated new one cannot both live), with
 * `pat.reuse_detected` for the presented token and `pat.revoked` for each token it ended, and one notice to the owner.
 * Returns how many tokens it revoked; a family already dead records nothing (a thief retrying a dead
 * token does not grow the audit trail; the failure limiter counts the attempts).
 */
export async function revokeTokenFamily(
  reused: { id: string; userId: string; familyId: string; name: string },
  ip: string | null,
  now = new Date(),
): Promise<number> {
  return getDb().$transaction(async (tx) => {
    await lockUserCredentials(tx, reused.userId);
    const live = await tx.personalAccessToken.findMany({
      where: { familyId: reused.familyId, userId: reused.userId, revokedAt: null },
      select: { id: true, name: true },
    });
    if (!live.length) return 0;
    await tx.personalAccessToken.updateMany({
      where: { id: { in: live.map((token) => token.id) }, revokedAt: null },
      data: { revokedAt: now, revokedReason: "reuse_detected" },
    });
    const actor = { type: "system" as const };
    await recordAuditEvent(
      {
        action: "pat.reuse_detected",
        actor,
        subjectUserId: reused.userId,
        patId: reused.id,
        tokenNames: [reused.name],
        ip,
        detail: { familyId: reused.familyId, revokedPatIds: live.map((token) => token.id) },
      },
      tx,
    );
    for (const token of live) {
      await recordAuditEvent(
        { action: "pat.revoked", actor, subjectUserId: reused.userId, patId: token.id, tokenNames: [token.name], ip, detail: { reason: "reuse_detected" } },
        tx,
      );
    }
    await notifyTokenIncident({ userId: reused.userId, patId: reused.id, familyId: reused.familyId, name: reused.name, reason: "reuse_detected" }, tx);
    return live.length;
  }, CREDENTIALS_TRANSACTION);
}
