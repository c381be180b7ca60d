import { failureBucket } from "@/lib/rate-limit/auth-failure-limiter";
import { logger } from "@/lib/log/logger";
import { countInWindow, peekWindows, type WindowCount } from "@/lib/rate-limit/fixed-window";
import { consumeServiceRateLimit, RATE_LIMIT_KEY_PREFIX, RATE_LIMIT_WINDOW_SECONDS } from "@/lib/rate-limit/consume-client-rate-limit";
import type { AuthenticatedApplication } from "./authenticate-application";

/*
 * Limits on an application's token requests (authorization_code and refresh_token), counted in the shared
 * "RateLimit" table so every instance sees the same numbers.
 *
 * A confidential app proves itself with its secret, so all its requests are its own: each counts in its
 * per-minute budget before the grant runs, as for service clients.
 *
 * A public app has no secret: anyone can name its client_id. Counting those requests in its budget let
 * ~600 anonymous junk requests a minute lock every real user out (429 on code exchange and refresh). So
 * for a public app a request counts only once its outcome is known:
 * - a valid code or refresh token (the request proved itself) counts in the app's budget;
 * - a failure (unknown or used code, bad refresh token, PKCE or redirect_uri mismatch) counts in a bucket
 *   of its own per app AND address; an address over APP_FAILURES_PER_MINUTE gets 429 for that app.
 * Both are read before the grant runs and counted after it, so requests in flight at the same moment
 * may overshoot a limit by their number; the limits are about abuse over a minute, not exact quotas.
 */

/** Token requests an application may make per minute (its users' code exchanges and refreshes together). */
export const APP_RATE_LIMIT_PER_MINUTE = 600;
/** Failed grants one address may make per minute naming one public application. */
export const APP_FAILURES_PER_MINUTE = 20;

const FAILURE_KEY_PREFIX = "app-fail:";

/** The "RateLimit" key of a public app's failures from one address (unknown addresses share one bucket). */
export function appFailureKey(appId: string, ip: string | null): string {
  return `${FAILURE_KEY_PREFIX}${appId}:${failureBucket(ip)}`;
}

const budgetKey = (appId: string) => RATE_LIMIT_KEY_PREFIX + appId;

/** Seconds until a peeked window has room for one more request (`limit` already used), else 0. */
function waitFor(count: WindowCount, limit: number, now: number): number {
  if (count.points < limit) return 0;
  return Math.max(1, Math.ceil((Number(count.expire) - now) / 1000));
}

/**
 * Before the grant runs: 0 when the request may go ahead, else the seconds to wait (429). A confidential
 * app's request is counted here; a public app's is only checked (see countAppTokenOutcome).
 */
export async function admitAppTokenRequest(app: AuthenticatedApplication, ip: string | null, now = Date.now()): Promise<number> {
  if (app.confidential) return consumeServiceRateLimit(app.id, APP_RATE_LIMIT_PER_MINUTE, now);
  const failures = appFailureKey(app.id, ip);
  const counts = await peekWindows([budgetKey(app.id), failures], now);
  return Math.max(waitFor(counts.get(failures)!, APP_FAILURES_PER_MINUTE, now), waitFor(counts.get(budgetKey(app.id))!, APP_RATE_LIMIT_PER_MINUTE, now));
}

/** After the grant ran, for a public app: a success spends the app's budget, a failure its address's failure bucket. */
export async function countAppTokenOutcome(app: AuthenticatedApplication, ip: string | null, succeeded: boolean, now = Date.now()): Promise<void> {
  if (app.confidential) return;
  try {
    await countInWindow(succeeded ? budgetKey(app.id) : appFailureKey(app.id, ip), RATE_LIMIT_WINDOW_SECONDS, now);
  } catch (error) {
    // The grant already ran (a code is claimed, tokens issued): its answer must still reach the client.
    logger.error({ err: error, applicationId: app.id }, "application token limits: could not count a token request");
  }
}
