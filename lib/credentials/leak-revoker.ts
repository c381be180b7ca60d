import type { Prisma } from "@/lib/db/generated/client";

export type Tx = Prisma.TransactionClient;

/** Where a report came from: the public route, or GitHub's secret scanning (signature verified). */
export type LeakSource = "report" | "github_secret_scanning";

export type LeakContext = {
  ip: string | null;
  now: Date;
  via: LeakSource;
  /** Where the string was found (GitHub's public URL), by hash; never the string itself. */
  foundAt: (hash: string) => string | undefined;
};

/**
 * Ends the live credentials of one kind whose stored hash is among `hashes`, tells their owners,
 * and returns the hashes that matched one (each reported string is one hash).
 */
export type LeakRevoker = (tx: Tx, hashes: string[], context: LeakContext) => Promise<string[]>;

/** What every leak audit event says about the report itself (the reporter's address; GitHub's URL). */
export function reportDetail(context: LeakContext, hash: string): Record<string, unknown> {
  const foundAt = context.foundAt(hash);
  return { reportedBy: context.ip, ...(context.via === "report" ? {} : { via: context.via }), ...(foundAt ? { foundAt } : {}) };
}
