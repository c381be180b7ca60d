import { getPool } from "@/lib/db/client";

/** Leak reports per client address and window (a scanner sends up to 100 strings in each). */
export const LEAK_REPORTS_PER_WINDOW = 30;
export const LEAK_REPORT_WINDOW_SECONDS = 600;
const KEY_PREFIX = "leak-report:";

// The shared "RateLimit" table, one atomic statement (as the auth-failure limiter): every instance counts
// in the same row; a new window starts when the stored one has expired. Unnamed on purpose.
const CONSUME_SQL = `
  INSERT INTO "RateLimit" (key, points, expire) VALUES ($1, 1, $2)
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= $3 THEN 1 ELSE "RateLimit".points + 1 END,
    expire = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= $3 THEN $2 ELSE "RateLimit".expire END
  RETURNING points, expire`;

/** The RateLimit row key for an address (unknown addresses share one bucket, never "no limit"). */
export const leakReportKey = (ip: string | null) => KEY_PREFIX + (ip ?? "unknown");

/** Counts one report from `ip`; 0 while within the limit, else the seconds until its window ends. */
export async function consumeLeakReportLimit(ip: string | null, now = Date.now()): Promise<number> {
  const { rows } = await getPool().query<{ points: number; expire: string }>(CONSUME_SQL, [leakReportKey(ip), now + LEAK_REPORT_WINDOW_SECONDS * 1000, now]);
  const row = rows[0]!;
  if (row.points <= LEAK_REPORTS_PER_WINDOW) return 0;
  return Math.max(1, Math.ceil((Number(row.expire) - now) / 1000));
}
