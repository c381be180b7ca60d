import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/**
 * An admin deletes a client nobody here registered by hand (dynamic registration, metadata document) and, by
 * cascade, every grant, code and token it holds. A person's own application is theirs to delete (admins
 * disable it instead): false for it, as for an unknown id. A metadata document client that comes back is
 * fetched and stored anew; to keep it out, disable it instead.
 */
export async function deleteUnownedApplication(id: string, actor: AuditActor, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const found = await tx.oAuthApplication.findFirst({
      where: { id, ownerUserId: null, registration: { in: ["DYNAMIC", "METADATA_DOCUMENT"] } },
      select: { id: true, name: true, clientId: true, registration: true, _count: { select: { grants: true } } },
    });
    if (!found) return false;
    await tx.oAuthApplication.delete({ where: { id } });
    await recordAuditEvent(
      {
        action: "application.deleted",
        actor,
        ip,
        detail: {
          applicationId: id,
          clientId: found.clientId,
          name: found.name,
          registration: found.registration.toLowerCase(),
          grantsRevoked: found._count.grants,
        },
      },
      tx,
    );
    return true;
  });
}
