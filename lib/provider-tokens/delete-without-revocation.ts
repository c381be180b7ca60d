import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { REVOCATION_STATES } from "./revoke-pending-connection";

/**
 * The admin's way out when a provider keeps refusing a revocation: deletes a pending or failed
 * connection's tokens without the provider's confirmation (the grant may stay valid there until it
 * expires), and says so in the audit log. Returns the token names deleted, or null if nothing was pending.
 */
export async function deleteWithoutRevocation(userId: string, provider: string, actor: AuditActor, ip: string | null = null): Promise<string[] | null> {
  return getDb().$transaction(async (tx) => {
    const connection = await tx.providerConnection.findFirst({
      where: { userId, provider, status: { in: [...REVOCATION_STATES] } },
      select: { id: true, revocationError: true, revocationAttempts: true, tokens: { select: { name: true } } },
    });
    if (!connection) return null;
    const tokenNames = connection.tokens.map((t) => t.name).sort();
    await tx.providerConnection.delete({ where: { id: connection.id } });
    await recordAuditEvent(
      {
        action: "connection.deleted_without_revocation",
        actor,
        subjectUserId: userId,
        provider,
        tokenNames,
        ip,
        detail: { lastError: connection.revocationError, attempts: connection.revocationAttempts },
      },
      tx,
    );
    return tokenNames;
  });
}
