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

/**
 * Options for the transactions that take this lock: they are short (no network call), but may queue
 * behind each other and behind other transactions on a small pool (one connection on the embedded
 * default), and Prisma's 2 s default `maxWait` would fail a revoke-all or a PAT creation for that.
 */
export const CREDENTIALS_TRANSACTION = { maxWait: 10_000, timeout: 15_000 } as const;
