import { countInWindow, retryAfterFor } from "@/lib/rate-limit/fixed-window";

/** Leak reports per client address and window (a scanner sends up to 100 strings in each). */
export const LEAK_REPORTS_PER_WINDOW = 30;
export const LEAK_REPORT_WINDOW_SECONDS = 600;
const KEY_PREFIX = "leak-report:";

/** The RateLimit row key for an address (unknown addresses share one bucket, never "no limit"). */
export const leakReportKey = (ip: string | null) => KEY_PREFIX + (ip ?? "unknown");

/** Counts one report from `ip`; 0 while within the limit, else the seconds until its window ends. */
export async function consumeLeakReportLimit(ip: string | null, now = Date.now()): Promise<number> {
  return retryAfterFor(await countInWindow(leakReportKey(ip), LEAK_REPORT_WINDOW_SECONDS, now), LEAK_REPORTS_PER_WINDOW, now);
}

/**
 * GitHub's secret scanning messages: their own bucket per address (GitHub sends from a few addresses,
 * in bursts when a big repository goes public), counted before the body is even read.
 */
export const GITHUB_REPORTS_PER_WINDOW = 120;
const GITHUB_KEY_PREFIX = "github-leak-report:";
export const githubReportKey = (ip: string | null) => GITHUB_KEY_PREFIX + (ip ?? "unknown");

export async function consumeGithubReportLimit(ip: string | null, now = Date.now()): Promise<number> {
  return retryAfterFor(await countInWindow(githubReportKey(ip), LEAK_REPORT_WINDOW_SECONDS, now), GITHUB_REPORTS_PER_WINDOW, now);
}
