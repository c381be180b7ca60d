import { countInWindow, retryAfterFor } from "@/lib/rate-limit/fixed-window";

export const MCP_RATE_LIMIT_WINDOW_SECONDS = 60;
export const DEFAULT_MCP_CALLS_PER_MINUTE = 120;

/** MCP_CALLS_PER_MINUTE overrides the default (read per call: tests and operators change it). */
export function mcpCallsPerMinute(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.MCP_CALLS_PER_MINUTE?.trim();
  return raw && /^[1-9][0-9]{0,6}$/.test(raw) ? Number(raw) : DEFAULT_MCP_CALLS_PER_MINUTE;
}

/**
 * Counts one tool call of the grant (person × application) in the shared "RateLimit" table, so every
 * instance counts in the same row; 0 while within the limit, else the seconds until the window ends.
 */
export async function consumeMcpRateLimit(grant: { userId: string; applicationId: string }, now = Date.now()): Promise<number> {
  const key = `mcp:${grant.applicationId}:${grant.userId}`;
  return retryAfterFor(await countInWindow(key, MCP_RATE_LIMIT_WINDOW_SECONDS, now), mcpCallsPerMinute(), now);
}
