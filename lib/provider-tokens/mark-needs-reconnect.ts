import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Prisma } from "@/lib/db/generated/client";

type DeadConnection = { id: string; userId: string; provider: string; tokenNames: string[] };

/**
 * The one "needs reconnect" transition: what a dead grant's connection becomes, and what happens with
 * it in the same transaction (no dead tokens kept; connection.reconnect_required, the webhook). Used by
 * a refresh the provider refused for good (refresh-outcomes.ts, under the lease) and by the daily job
 * for connections that failed every refresh for 4 days (lib/jobs/refresh-ahead.ts). Each caller makes
 * `data` conditional on its own guard (the lease; the failing run it saw) and calls `apply` only when
 * that conditional update changed the row.
 */
export function needsReconnect(connection: DeadConnection, reason: string, now = new Date()) {
  const data = {
    status: "NEEDS_RECONNECT",
    reconnectReason: reason,
    reconnectRequiredAt: now,
    accessTokenExpiresAt: null,
    nextRefreshAt: null,
    refreshFailures: 0,
    // A reconnect starts a new run: a failing run left here would mark the fresh grant dead again.
    refreshFailingSince: null,
  } satisfies Prisma.ProviderConnectionUpdateManyMutationInput;
  async function apply(tx: Prisma.TransactionClient): Promise<void> {
    await tx.providerToken.deleteMany({ where: { connectionId: connection.id } });
    await recordAuditEvent(
      {
        action: "connection.reconnect_required",
        actor: { type: "system" },
        subjectUserId: connection.userId,
        provider: connection.provider,
        tokenNames: [...connection.tokenNames].sort(),
        detail: { reason },
      },
      tx,
    );
  }
  return { data, apply };
}
