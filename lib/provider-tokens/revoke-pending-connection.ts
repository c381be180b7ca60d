import { setTimeout as sleep } from "node:timers/promises";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { getProviderClient, providerLabel } from "@/lib/providers/catalog";
import { ACCESS_TOKEN, REFRESH_TOKEN } from "./token-names";
import { revokeAtProvider, type RevocationOutcome } from "./revoke-at-provider";
import { openToken } from "./token-cipher";

/** The connection states whose tokens wait for a provider revocation (never handed out). */
export const REVOCATION_STATES = ["REVOCATION_PENDING", "REVOCATION_FAILED"] as const;

export type ProviderRevocationStatus =
  /** the provider confirmed; tokens deleted */
  | "revoked"
  /** nothing the provider can revoke (no endpoint, e.g. Microsoft, or no token): tokens deleted locally */
  | "deleted"
  /** every attempt failed: tokens kept, unusable, until an admin retries or deletes them */
  | "failed"
  /** not attempted (an unexpected error): tokens kept, unusable */
  | "pending";

export type ProviderRevocation = {
  provider: string;
  label: string;
  status: ProviderRevocationStatus;
  revocation: RevocationOutcome | null;
  reason: string | null;
  attempts: number;
  removedTokenNames: string[];
  keptTokenNames: string[];
};

export type RevocationRetryOptions = { attempts?: number; backoffMs?: number };

/**
 * Revokes a REVOCATION_PENDING / REVOCATION_FAILED connection at its provider, with a few attempts
 * and a short backoff, and no transaction open. Confirmed (or nothing to revoke): the connection and
 * its tokens are deleted. Still failing: the connection becomes REVOCATION_FAILED with the reason and
 * keeps its ciphertext, so the revocation can be retried. Null when no such connection exists.
 */
export async function revokePendingConnection(
  userId: string,
  provider: string,
  actor: AuditActor,
  ip: string | null = null,
  { attempts = 3, backoffMs = 250 }: RevocationRetryOptions = {},
): Promise<ProviderRevocation | null> {
  const db = getDb();
  const connection = await db.providerConnection.findFirst({ where: { userId, provider, status: { in: [...REVOCATION_STATES] } }, include: { tokens: true } });
  if (!connection) return null;
  const rows = connection.tokens;
  const tokenNames = rows.map((r) => r.name).sort();
  const read = (name: string) => {
    const row = rows.find((r) => r.name === name);
    try {
      return row ? openToken(row) : null;
    } catch {
      return null; // undecryptable (e.g. a removed key): nothing we can revoke
    }
  };
  const base = { provider, label: providerLabel(provider), reason: null, removedTokenNames: [] as string[], keptTokenNames: [] as string[] };

  const client = getProviderClient(provider);
  let revocation: RevocationOutcome = !rows.length
    ? { status: "nothing_to_revoke" }
    : client
      ? { status: "failed", reason: "not attempted" }
      : { status: "not_supported", reason: `${provider} is not configured on this server` };
  let tried = 0;
  if (client && rows.length) {
    const tokens = { accessToken: read(ACCESS_TOKEN), refreshToken: read(REFRESH_TOKEN) };
    for (tried = 1; ; tried++) {
      revocation = await revokeAtProvider(client, tokens);
      if (revocation.status !== "failed" || tried >= attempts) break;
      await sleep(backoffMs * 2 ** (tried - 1));
    }
  }

  if (revocation.status === "failed") {
    const reason = revocation.reason;
    await db.$transaction(async (tx) => {
      await tx.providerConnection.updateMany({
        where: { id: connection.id, status: { in: [...REVOCATION_STATES] } },
        data: { status: "REVOCATION_FAILED", revocationAttempts: { increment: tried }, revocationError: reason },
      });
      await recordAuditEvent(
        { action: "connection.revocation_failed", actor, subjectUserId: userId, provider, tokenNames, ip, detail: { reason, attempts: tried } },
        tx,
      );
    });
    return { ...base, status: "failed", revocation, reason, attempts: tried, keptTokenNames: tokenNames };
  }

  await db.$transaction(async (tx) => {
    // Conditional: a sign-in that stored new tokens meanwhile made it ACTIVE again; leave that alone.
    await tx.providerConnection.deleteMany({ where: { id: connection.id, status: { in: [...REVOCATION_STATES] } } });
    await recordAuditEvent(
      {
        action: "connection.disconnected",
        actor,
        subjectUserId: userId,
        provider,
        tokenNames,
        ip,
        detail: { revocation: revocation.status, attempts: tried, ...("reason" in revocation ? { reason: revocation.reason } : {}) },
      },
      tx,
    );
  });
  return {
    ...base,
    status: revocation.status === "revoked" ? "revoked" : "deleted",
    revocation,
    reason: "reason" in revocation ? revocation.reason : null,
    attempts: tried,
    removedTokenNames: tokenNames,
  };
}
