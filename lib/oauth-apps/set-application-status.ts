import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/**
 * Admins disable (or re-enable) an app. While disabled its tokens are refused at their next use,
 * its client cannot authenticate and nobody can authorize it; grants are kept for re-enabling.
 */
export async function setApplicationStatus(id: string, status: "ACTIVE" | "DISABLED", actor: AuditActor, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const found = await tx.oAuthApplication.findUnique({ where: { id }, select: { id: true, status: true, ownerUserId: true, name: true } });
    if (!found) return false;
    if (found.status === status) return true;
    await tx.oAuthApplication.update({ where: { id }, data: { status } });
    await recordAuditEvent(
      {
        action: status === "DISABLED" ? "application.disabled" : "application.enabled",
        actor,
        subjectUserId: found.ownerUserId,
        ip,
        detail: { applicationId: id, name: found.name },
      },
      tx,
    );
    return true;
  });
}
