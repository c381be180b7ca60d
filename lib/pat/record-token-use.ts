import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { logger } from "@/lib/log/logger";

const MIN_INTERVAL_MS = 60_000;
export const RECENT_CLIENTS_KEPT = 5;
const lastWritten = new Map<string, number>();
const pending = new Set<Promise<unknown>>();

/*
 * One statement per write, on every PAT call at most once a minute per token and address:
 * lastUsedAt / lastUsedIp, and the last 5 distinct addresses with their times (newest first), the
 * presented address moved to the front. The WHERE keeps it cheap across instances: a row is only
 * written when its last use is over a minute old, or its address is not listed with a time within the
 * last minute: at most one write a minute per token and address, whichever instance serves it.
 * Times go in as ISO strings read as timestamptz, then stored as UTC like Prisma's columns.
 * Prepared (lib/db/prepared-query.ts).
 */
const RECORD_USE_SQL = preparedStatement(
  "record_token_use",
  `
  UPDATE "PersonalAccessToken" SET
    "lastUsedAt" = ($2::timestamptz AT TIME ZONE 'UTC'),
    "lastUsedIp" = $3,
    "recentClients" = CASE WHEN $3::text IS NULL THEN "recentClients" ELSE (
      SELECT COALESCE(jsonb_agg(entry ORDER BY entry->>'at' DESC), '[]'::jsonb) FROM (
        SELECT entry FROM (
          SELECT jsonb_build_object('ip', $3::text, 'at', $5::text) AS entry
          UNION ALL
          SELECT old FROM jsonb_array_elements("recentClients") AS old WHERE old->>'ip' IS DISTINCT FROM $3::text
        ) AS merged ORDER BY entry->>'at' DESC LIMIT ${RECENT_CLIENTS_KEPT}
      ) AS newest
    ) END
  WHERE id = $1
    AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ($4::timestamptz AT TIME ZONE 'UTC')
         OR ($3::text IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements("recentClients") AS seen WHERE seen->>'ip' = $3::text AND seen->>'at' >= $6::text)))`,
);

/**
 * Records a use off the response's path: the write is started, not awaited. Throttled in memory per
 * token and address too, so a busy script from one address costs one write a minute per instance.
 * Nothing waits in memory to be written later, so a shutdown loses nothing except writes already in
 * flight (flushTokenUse awaits those).
 */
export function noteTokenUse(tokenId: string, ip: string | null, now: Date): void {
  const key = `${tokenId}|${ip ?? ""}`;
  const last = lastWritten.get(key);
  if (last !== undefined && now.getTime() - last < MIN_INTERVAL_MS) return;
  lastWritten.set(key, now.getTime());
  if (lastWritten.size > 50_000) lastWritten.clear();
  const cutoff = new Date(now.getTime() - MIN_INTERVAL_MS);
  const write = queryPrepared(RECORD_USE_SQL, [tokenId, now.toISOString(), ip, cutoff.toISOString(), now.toISOString(), cutoff.toISOString()])
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
