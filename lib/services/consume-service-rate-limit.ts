import { getPool } from "@/lib/db/client";

export const RATE_LIMIT_WINDOW_SECONDS = 60;
const KEY_PREFIX = "svc:";

// One atomic statement on the shared "RateLimit" table (like the auth-failure limiter): every instance
// counts in the same row; a new window starts when the stored one has expired. Unnamed on purpose.
const CONSUME_SQL = `
  INSERT INTO "RateLimit" (key, points, expire) VALUES ($1, 1, $2)
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= $3 THEN 1 ELSE "RateLimit".points + 1 END,
    expire = CASE WHEN "RateLimit".expire IS NULL OR "RateLimit".expire <= $3 THEN $2 ELSE "RateLimit".expire END
  RETURNING points, expire`;

/** Counts one call of the client; returns 0 while within `perMinute`, else the seconds until its window ends. */
export async function consumeServiceRateLimit(serviceClientId: string, perMinute: number, now = Date.now()): Promise<number> {
  const { rows } = await getPool().query<{ points: number; expire: string }>(CONSUME_SQL, [KEY_PREFIX + serviceClientId, now + RATE_LIMIT_WINDOW_SECONDS * 1000, now]);
  const row = rows[0]!;
  if (row.points <= perMinute) return 0;
  return Math.max(1, Math.ceil((Number(row.expire) - now) / 1000));
}
