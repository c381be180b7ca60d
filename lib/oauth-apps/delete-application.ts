import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/**
 * Deletes one of `ownerId`'s apps and, by cascade, every grant, code and token it holds: they stop
 * working at once. False when the owner has no app with that id (someone else's looks the same).
 */
export async function deleteApplication(ownerId: string, id: string, actor: AuditActor, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const found = await tx.oAuthApplication.findFirst({
      where: { id, ownerUserId: ownerId },
      select: { id: true, name: true, clientId: true, _count: { select: { grants: true } } },
    });
    if (!found) return false;
    await tx.oAuthApplication.delete({ where: { id } });
    await recordAuditEvent(
      {
        action: "application.deleted",
        actor,
        subjectUserId: ownerId,
        ip,
        detail: { applicationId: id, clientId: found.clientId, name: found.name, grantsRevoked: found._count.grants },
      },
      tx,
    );
    return true;
  });
}
