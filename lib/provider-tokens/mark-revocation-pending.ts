import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import type { Prisma } from "@/lib/db/generated/client";

export type PendingConnection = { provider: string; tokenNames: string[] };

/**
 * Inside revoke-all's transaction: every provider connection of the user becomes REVOCATION_PENDING,
 * so none of its tokens is handed out again, while the ciphertext stays for the provider revocation
 * that runs after the commit (no network call inside the transaction).
 */
export async function markRevocationPending(tx: Prisma.TransactionClient, userId: string, actor: AuditActor, ip: string | null): Promise<PendingConnection[]> {
  const connections = await tx.providerConnection.findMany({
    where: { userId },
    select: { provider: true, tokens: { select: { name: true } } },
    orderBy: { provider: "asc" },
  });
  if (!connections.length) return [];
  await tx.providerConnection.updateMany({
    where: { userId },
    data: { status: "REVOCATION_PENDING", revocationPendingAt: new Date(), revocationAttempts: 0, revocationError: null },
  });
  const pending = connections.map((c) => ({ provider: c.provider, tokenNames: c.tokens.map((t) => t.name).sort() }));
  for (const { provider, tokenNames } of pending) {
    await recordAuditEvent({ action: "connection.revocation_pending", actor, subjectUserId: userId, provider, tokenNames, ip }, tx);
  }
  return pending;
}
