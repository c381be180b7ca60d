import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { countInWindow } from "@/lib/rate-limit/fixed-window";
import { logger } from "@/lib/log/logger";

/*
 * Repeated authentication failures from one IP are throttled. Failures that reached the database are
 * counted in PostgreSQL (the "RateLimit" table, one atomic upsert), so every app instance shares the
 * count; failures the checksum rejected (junk, typos) are counted in memory, so they never cause a
 * query. Once an IP is over the limit it is blocked for BLOCK_SECONDS.
 *
 * Our own upsert rather than rate-limiter-flexible's PostgreSQL store: that store uses named prepared
 * statements, which collide (42P05) on the embedded database's single shared session, and it then
 * silently falls back to memory. This statement is unnamed and works on both databases.
 */
export const MAX_FAILURES = 20;
export const WINDOW_SECONDS = 60;
export const BLOCK_SECONDS = 60;
/** Requests whose address is unknown share one bucket: an unknown address never means "no limit". */
export const UNKNOWN_IP_BUCKET = "unknown";

const KEY_PREFIX = "auth-fail:";

let local: RateLimiterMemory | undefined;
let warnedFallback = false;
const blockedUntil = new Map<string, number>();

function getLocal(): RateLimiterMemory {
  local ??= new RateLimiterMemory({ points: MAX_FAILURES, duration: WINDOW_SECONDS, blockDuration: BLOCK_SECONDS, keyPrefix: "auth-fail" });
  return local;
}

/** The bucket a request counts in. */
export function failureBucket(ip: string | null): string {
  return ip ?? UNKNOWN_IP_BUCKET;
}

/** The "RateLimit" row key of a bucket (tests read it). */
export function failureKey(ip: string | null): string {
  return KEY_PREFIX + failureBucket(ip);
}

/** Seconds until this IP may try again, or 0. In-memory check: no query on the request path. */
export function retryAfterSeconds(ip: string | null, now = Date.now()): number {
  const bucket = failureBucket(ip);
  const until = blockedUntil.get(bucket);
  if (!until) return 0;
  if (until <= now) {
    blockedUntil.delete(bucket);
    return 0;
  }
  return Math.ceil((until - now) / 1000);
}

/** Counts one failure; returns the seconds to wait when the IP is now over the limit, else 0. */
export async function recordAuthFailure(ip: string | null, options: { checkedDatabase: boolean }): Promise<number> {
  const bucket = failureBucket(ip);
  const over = options.checkedDatabase ? await countInDatabase(bucket) : await countInMemory(bucket);
  if (!over) return 0;
  blockedUntil.set(bucket, Date.now() + BLOCK_SECONDS * 1000);
  return BLOCK_SECONDS;
}

async function countInDatabase(bucket: string): Promise<boolean> {
  const now = Date.now();
  try {
    return (await countInWindow(KEY_PREFIX + bucket, WINDOW_SECONDS, now)).points > MAX_FAILURES;
  } catch (error) {
    // Still limited, but per instance only: say so loudly, once.
    if (!warnedFallback) {
      warnedFallback = true;
      logger.error({ err: error }, "auth failure limiter: database store failed, counting failures in memory (per instance) until it recovers");
    }
    return countInMemory(bucket);
  }
}

async function countInMemory(bucket: string): Promise<boolean> {
  try {
    await getLocal().consume(bucket);
    return false;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return true;
    throw rejection;
  }
}

/** Tests: start from a clean slate. */
export function resetAuthFailureLimiter(): void {
  local = undefined;
  warnedFallback = false;
  blockedUntil.clear();
}
