import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ProviderTokenError } from "./errors";
import { PROVIDER_TIMEOUT_MS } from "./provider-http";

/**
 * The refresh lease on a ProviderConnection row (refreshLeaseId, refreshingUntil): whoever holds it may
 * call the provider; everyone else, in any process sharing the database, waits for what it stores.
 */

/** The refresh lease outlasts the provider call, so only a crashed or stalled holder ever loses it. */
export const REFRESH_LEASE_MS = PROVIDER_TIMEOUT_MS + 5_000;

/**
 * Takes the right to refresh with one conditional UPDATE (auto-committed, no transaction left open).
 * Only an ACTIVE connection that is not in backoff and whose lease is free or expired can be claimed.
 */
export async function claimLease(connectionId: string, leaseId: string): Promise<boolean> {
  const claimed = await getDb().$executeRaw`
    UPDATE "ProviderConnection"
    SET "refreshLeaseId" = ${leaseId}, "refreshingUntil" = now() + make_interval(secs => ${REFRESH_LEASE_MS / 1000})
    WHERE id = ${connectionId} AND status = 'ACTIVE'
      AND ("nextRefreshAt" IS NULL OR "nextRefreshAt" <= now())
      AND ("refreshingUntil" IS NULL OR "refreshingUntil" < now())`;
  return claimed === 1;
}

/**
 * Writes under the lease: a compare-and-set on refreshLeaseId inside one short transaction that also
 * releases the lease. Returns false (and writes nothing) when the lease was lost to someone else.
 */
export async function writeUnderLease(
  connectionId: string,
  leaseId: string,
  data: Prisma.ProviderConnectionUpdateManyMutationInput,
  more?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<boolean> {
  const lost = Symbol("lease lost");
  try {
    await getDb().$transaction(async (tx) => {
      // status ACTIVE too: a revoke-all that marked the connection mid-refresh wins over the refresh.
      const { count } = await tx.providerConnection.updateMany({
        where: { id: connectionId, refreshLeaseId: leaseId, status: "ACTIVE" },
        data: { ...data, refreshLeaseId: null, refreshingUntil: null },
      });
      if (count !== 1) throw lost;
      await more?.(tx);
    });
    return true;
  } catch (error) {
    if (error === lost) return false;
    throw error;
  }
}

export async function releaseLease(connectionId: string, leaseId: string, data: Prisma.ProviderConnectionUpdateManyMutationInput): Promise<void> {
  await getDb().providerConnection.updateMany({
    where: { id: connectionId, refreshLeaseId: leaseId },
    data: { ...data, refreshLeaseId: null, refreshingUntil: null },
  });
}

/** An unexpected error (database, decryption) under the lease: free it now rather than in 15 s, then rethrow. */
export async function releaseAfterCrash(connectionId: string, leaseId: string, error: unknown): Promise<never> {
  if (!(error instanceof ProviderTokenError)) await releaseLease(connectionId, leaseId, {}).catch(() => {});
  throw error;
}
