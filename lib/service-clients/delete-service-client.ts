import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/** Deletes the client and (cascade) its access tokens and blocks; its audit trail stays. */
export async function deleteServiceClient(id: string, actor: AuditActor, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const found = await tx.serviceClient.findUnique({ where: { id }, select: { id: true, name: true, clientId: true } });
    if (!found) return false;
    await tx.serviceClient.delete({ where: { id } });
    await recordAuditEvent({ action: "service.deleted", actor, ip, detail: { serviceClientId: id, name: found.name, clientId: found.clientId } }, tx);
    return true;
  });
}
