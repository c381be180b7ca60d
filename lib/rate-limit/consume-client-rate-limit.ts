import { countInWindow, retryAfterFor } from "@/lib/rate-limit/fixed-window";

export const RATE_LIMIT_WINDOW_SECONDS = 60;
export const RATE_LIMIT_KEY_PREFIX = "svc:";

/** Counts one call of the client; returns 0 while within `perMinute`, else the seconds until its window ends. */
export async function consumeServiceRateLimit(serviceClientId: string, perMinute: number, now = Date.now()): Promise<number> {
  return retryAfterFor(await countInWindow(RATE_LIMIT_KEY_PREFIX + serviceClientId, RATE_LIMIT_WINDOW_SECONDS, now), perMinute, now);
}
