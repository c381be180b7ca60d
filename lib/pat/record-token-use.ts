import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

const MIN_INTERVAL_MS = 60_000;
const lastWritten = new Map<string, number>();
const pending = new Set<Promise<unknown>>();

/**
 * Records lastUsedAt / lastUsedIp at most once a minute per token, off the response's path: the
 * write is started, not awaited. The database enforces the minute too, so several instances don't
 * multiply the writes. Nothing waits in memory to be written later, so a shutdown loses nothing
 * except writes already in flight (flushTokenUse awaits those).
 */
export function noteTokenUse(tokenId: string, ip: string | null, now: Date): void {
  const last = lastWritten.get(tokenId);
  if (last !== undefined && now.getTime() - last < MIN_INTERVAL_MS) return;
  lastWritten.set(tokenId, now.getTime());
  if (lastWritten.size > 50_000) lastWritten.clear();
  const cutoff = new Date(now.getTime() - MIN_INTERVAL_MS);
  const write = getDb()
    .personalAccessToken.updateMany({
      where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] },
      data: { lastUsedAt: now, lastUsedIp: ip },
    })
    .catch((error: unknown) => logger.warn({ err: error, tokenId }, "could not record token use"))
    .finally(() => pending.delete(write));
  pending.add(write);
}

/** Waits for token-use writes in flight (tests, shutdown). */
export async function flushTokenUse(): Promise<void> {
  await Promise.all([...pending]);
}

/** Forget the per-process throttle (tests that move the clock). */
export function resetTokenUseThrottle(): void {
  lastWritten.clear();
}
