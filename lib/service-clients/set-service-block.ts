import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/**
 * A person blocks (or unblocks) a service from obtaining their token at one provider. Returns false
 * when the service does not exist. Idempotent; each change is audited.
 */
export async function setServiceBlock(
  userId: string,
  serviceClientId: string,
  provider: string,
  blocked: boolean,
  actor: AuditActor,
  ip: string | null,
): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const service = await tx.serviceClient.findUnique({ where: { id: serviceClientId }, select: { id: true, name: true } });
    if (!service) return false;
    const key = { userId_serviceClientId_provider: { userId, serviceClientId, provider } };
    const existing = await tx.serviceBlock.findUnique({ where: key, select: { userId: true } });
    if (blocked === Boolean(existing)) return true;
    if (blocked) await tx.serviceBlock.create({ data: { userId, serviceClientId, provider } });
    else await tx.serviceBlock.delete({ where: key });
    await recordAuditEvent(
      {
        action: blocked ? "service.blocked" : "service.unblocked",
        actor,
        subjectUserId: userId,
        provider,
        ip,
        detail: { serviceClientId, serviceName: service.name },
      },
      tx,
    );
    return true;
  });
}
