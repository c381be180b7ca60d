import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const MIN_INTERVAL_MS = 60_000;
const lastWritten = new Map<string, number>();

/**
 * Records a grant's lastUsedAt (what "Authorized applications" shows) at most once a minute, off the
 * response's path, like PATs' lastUsedAt (lib/pat/record-token-use.ts); the database enforces the minute too.
 */
export function noteGrantUse(grantId: string, now: Date): void {
  const last = lastWritten.get(grantId);
  if (last !== undefined && now.getTime() - last < MIN_INTERVAL_MS) return;
  lastWritten.set(grantId, now.getTime());
  if (lastWritten.size > 50_000) lastWritten.clear();
  const cutoff = new Date(now.getTime() - MIN_INTERVAL_MS);
  void getDb()
    .oAuthGrant.updateMany({ where: { id: grantId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] }, data: { lastUsedAt: now } })
    .catch((error: unknown) => logger.warn({ err: error, grantId }, "could not record application use"));
}

/** Forget the per-process throttle (tests that move the clock). */
export function resetGrantUseThrottle(): void {
  lastWritten.clear();
}
