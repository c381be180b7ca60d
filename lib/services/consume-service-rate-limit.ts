import { getPool } from "@/lib/db/client";

export const RATE_LIMIT_WINDOW_SECONDS = 60;
export const RATE_LIMIT_KEY_PREFIX = "svc:";

/**
 * The ON CONFLICT arm of the counter, shared with authenticateServiceClient's combined statement:
 * a new window starts when the stored one has expired. `$now` and `$expire` name the parameters.
 */
export const rateLimitUpsert = (now: string, expire: string) => `
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= ${now} THEN 1 ELSE "RateLimit".points + 1 END,
    expire = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= ${now} THEN ${expire} ELSE "RateLimit".expire END
  RETURNING points, expire`;

// One atomic statement on the shared "RateLimit" table (like the auth-failure limiter): every instance
// counts in the same row. Unnamed on purpose.
const CONSUME_SQL = `INSERT INTO "RateLimit" (key, points, expire) VALUES ($1, 1, $2) ${rateLimitUpsert("$3", "$2")}`;

/** Seconds until the window ends when `points` is over `perMinute`, else 0. */
export function retryAfterFor(row: { points: number; expire: string | number }, perMinute: number, now: number): number {
  if (row.points <= perMinute) return 0;
  return Math.max(1, Math.ceil((Number(row.expire) - now) / 1000));
}

/** Counts one call of the client; returns 0 while within `perMinute`, else the seconds until its window ends. */
export async function consumeServiceRateLimit(serviceClientId: string, perMinute: number, now = Date.now()): Promise<number> {
  const { rows } = await getPool().query<{ points: number; expire: string }>(CONSUME_SQL, [RATE_LIMIT_KEY_PREFIX + serviceClientId, now + RATE_LIMIT_WINDOW_SECONDS * 1000, now]);
  return retryAfterFor(rows[0]!, perMinute, now);
}
