import { getPool } from "@/lib/db/client";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";

/*
 * Fixed-window counters in the shared "RateLimit" table: one atomic, unnamed statement, so every app
 * instance counts in the same row on both databases (named statements collide on the embedded database's
 * single session). Used by the auth-failure limiter, service clients and leak reports.
 */

/** The ON CONFLICT arm: a new window starts when the stored one has expired. Arguments name SQL parameters. */
export const fixedWindowUpsert = (now: string, expire: string) => `
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= ${now} THEN 1 ELSE "RateLimit".points + 1 END,
    expire = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= ${now} THEN ${expire} ELSE "RateLimit".expire END
  RETURNING points, expire`;

const COUNT_SQL = preparedStatement("count_in_window", `INSERT INTO "RateLimit" (key, points, expire) VALUES ($1, 1, $2) ${fixedWindowUpsert("$3", "$2")}`);

export type WindowCount = { points: number; expire: string | number };

/** Counts one hit on `key` in a window of `windowSeconds`; returns the count so far and when the window ends (ms). */
export async function countInWindow(key: string, windowSeconds: number, now = Date.now()): Promise<WindowCount> {
  const { rows } = await queryPrepared<{ points: number; expire: string }>(COUNT_SQL, [key, now + windowSeconds * 1000, now]);
  return rows[0]!;
}

/** Seconds until the window ends when the count is over `limit`, else 0. */
export function retryAfterFor(count: WindowCount, limit: number, now: number): number {
  if (count.points <= limit) return 0;
  return Math.max(1, Math.ceil((Number(count.expire) - now) / 1000));
}

const PEEK_SQL = `SELECT key, points, expire FROM "RateLimit" WHERE key = ANY($1::text[]) AND expire > $2`;

/**
 * The counts of live windows for `keys`, without counting a hit (a key with no live window reads 0).
 * For limits that count a request only once its outcome is known (lib/oauth-apps/app-token-limits.ts).
 */
export async function peekWindows(keys: string[], now = Date.now()): Promise<Map<string, WindowCount>> {
  const { rows } = await getPool().query<{ key: string; points: number; expire: string }>(PEEK_SQL, [keys, now]);
  const counts = new Map<string, WindowCount>(keys.map((key) => [key, { points: 0, expire: now }]));
  for (const row of rows) counts.set(row.key, { points: row.points, expire: row.expire });
  return counts;
}
