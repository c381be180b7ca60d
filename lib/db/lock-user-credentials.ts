import type { Prisma } from "@/lib/db/generated/client";

/**
 * Serialises every change to one user's credentials (PAT creation, revoke-all) until the
 * transaction ends: a transaction-scoped advisory lock on a per-user key. Revoke-all and
 * `createToken` both take it, so a PAT is either visible to revoke-all or created after it, when
 * the caller's session or PAT is already gone (createToken re-checks that under the lock).
 * On the embedded database (one backend) the lock is re-entrant and pglite-socket's queue already
 * serialises transactions; on PostgreSQL this is what orders them.
 */
export async function lockUserCredentials(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`credentials:${userId}`}))`;
}
