import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getSqlPool } from "@/lib/db/sql-pool";

/*
 * Repeated authentication failures from one IP are throttled (rate-limiter-flexible). Failures that
 * reached the database are counted in PostgreSQL, so every app instance shares the count; failures
 * the checksum rejected (junk, typos) are counted in memory, so they never cause a query.
 * Once an IP is over the limit it is blocked for BLOCK_SECONDS.
 */
export const MAX_FAILURES = 20;
export const WINDOW_SECONDS = 60;
export const BLOCK_SECONDS = 60;

type Limiters = { shared: RateLimiterAbstract; local: RateLimiterAbstract };
let limiters: Limiters | undefined;
const blockedUntil = new Map<string, number>();

function getLimiters(): Limiters {
  if (!limiters) {
    const options = { points: MAX_FAILURES, duration: WINDOW_SECONDS, blockDuration: BLOCK_SECONDS, keyPrefix: "auth-fail" };
    const url = process.env.DATABASE_URL;
    const local = new RateLimiterMemory(options);
    // If the database is unreachable the in-memory limiter stands in (insuranceLimiter).
    const shared = url
      ? new RateLimiterPostgres({ ...options, storeClient: getSqlPool(), storeType: "pool", tableName: "RateLimit", tableCreated: true, insuranceLimiter: local })
      : local;
    limiters = { shared, local };
  }
  return limiters;
}

/** Seconds until this IP may try again, or 0. In-memory check: no query on the request path. */
export function retryAfterSeconds(ip: string | null, now = Date.now()): number {
  const until = ip ? blockedUntil.get(ip) : undefined;
  if (!until) return 0;
  if (until <= now) {
    blockedUntil.delete(ip!);
    return 0;
  }
  return Math.ceil((until - now) / 1000);
}

/** Counts one failure; returns the seconds to wait when the IP is now over the limit, else 0. */
export async function recordAuthFailure(ip: string | null, options: { checkedDatabase: boolean }): Promise<number> {
  if (!ip) return 0;
  const { shared, local } = getLimiters();
  try {
    await (options.checkedDatabase ? shared : local).consume(ip);
    return 0;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const waitMs = Math.max(rejection.msBeforeNext, 1000);
    blockedUntil.set(ip, Date.now() + waitMs);
    return Math.ceil(waitMs / 1000);
  }
}

/** Tests: start from a clean slate. */
export function resetAuthFailureLimiter(): void {
  limiters = undefined;
  blockedUntil.clear();
}
