import { getDb } from "@/lib/db/client";
import { needsReconnect } from "@/lib/provider-tokens/mark-needs-reconnect";
import { obtainAccessToken } from "@/lib/provider-tokens/obtain-access-token";
import { REFRESH_TOKEN } from "@/lib/provider-tokens/token-names";
import { readCatalogue } from "@/lib/providers/load-catalogue";
import { logger } from "@/lib/log/logger";

export const REFRESH_AHEAD_MS = 15 * 60_000;
export const RECENT_USE_DAYS = 30;
/** Failed since at least 3 days ago and still failing: failures on 4 consecutive days. */
export const DEAD_AFTER_FAILING_MS = 3 * 24 * 60 * 60_000;
const CONCURRENCY = 4;

export type RefreshRunReport = { candidates: number; refreshed: number; failed: number; markedNeedsReconnect: number };

/** Runs fn over items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function refreshEach(rows: { userId: string; provider: string }[], refreshWithinMs: number): Promise<Pick<RefreshRunReport, "refreshed" | "failed">> {
  let refreshed = 0;
  let failed = 0;
  await eachLimited(rows, CONCURRENCY, async ({ userId, provider }) => {
    try {
      // The same door as every caller: the lease (one refresh across instances), backoff and failure states.
      const outcome = await obtainAccessToken(userId, provider, { refreshWithinMs, background: true });
      if (outcome.status !== "ok") failed++;
      else if (outcome.token.refreshed) refreshed++;
    } catch (error) {
      failed++;
      logger.error({ provider, err: error instanceof Error ? error.message : String(error) }, "background refresh failed");
    }
  });
  return { refreshed, failed };
}

/**
 * Proactive refresh: every connection used in the last 30 days whose access token expires within
 * 15 minutes (and has a refresh token, and is not backing off) is refreshed now, so callers never wait
 * on a provider. Then connections whose refreshes have failed on 4 consecutive days need reconnecting.
 */
export async function refreshAhead(now = new Date()): Promise<RefreshRunReport> {
  const rows = await getDb().providerConnection.findMany({
    where: {
      status: "ACTIVE",
      lastUsedAt: { gte: new Date(now.getTime() - RECENT_USE_DAYS * 86_400_000) },
      accessTokenExpiresAt: { lte: new Date(now.getTime() + REFRESH_AHEAD_MS) },
      OR: [{ nextRefreshAt: null }, { nextRefreshAt: { lte: now } }],
      tokens: { some: { name: REFRESH_TOKEN } },
    },
    select: { userId: true, provider: true },
    take: 500,
  });
  const { refreshed, failed } = await refreshEach(rows, REFRESH_AHEAD_MS);
  const markedNeedsReconnect = await markLongFailingConnections(now);
  return { candidates: rows.length, refreshed, failed, markedNeedsReconnect };
}

/** needs_reconnect for connections that failed every refresh for 4 days (the person sees it; the webhook fires). */
export async function markLongFailingConnections(now = new Date()): Promise<number> {
  const failing = await getDb().providerConnection.findMany({
    where: { status: "ACTIVE", refreshFailingSince: { lte: new Date(now.getTime() - DEAD_AFTER_FAILING_MS) } },
    select: { id: true, userId: true, provider: true, lastRefreshError: true, refreshFailingSince: true, tokens: { select: { name: true } } },
  });
  let marked = 0;
  for (const connection of failing) {
    const reason = `refreshes failed on 4 consecutive days (last error: ${connection.lastRefreshError ?? "unknown"})`;
    // The same transition as a refresh the provider refused for good (lib/provider-tokens/mark-needs-reconnect.ts).
    const transition = needsReconnect({ ...connection, tokenNames: connection.tokens.map((t) => t.name) }, reason, now);
    const done = await getDb().$transaction(async (tx) => {
      // Conditional: a refresh that succeeded meanwhile (failingSince cleared) or a lease holder wins.
      const { count } = await tx.providerConnection.updateMany({
        where: {
          id: connection.id,
          status: "ACTIVE",
          refreshFailingSince: connection.refreshFailingSince,
          OR: [{ refreshingUntil: null }, { refreshingUntil: { lt: now } }],
        },
        data: transition.data,
      });
      if (count !== 1) return false;
      await transition.apply(tx);
      return true;
    });
    if (done) marked++;
  }
  return marked;
}

/**
 * TESSERA_KEEPALIVE_PROVIDERS when set; otherwise Microsoft and every connect-only catalogue entry whose refresh
 * tokens expire when unused (`refresh.inactivityExpiryDays`, e.g. Atlassian's 90 days): the data says which.
 */
export function keepAliveProviders(): string[] {
  const configured = process.env.TESSERA_KEEPALIVE_PROVIDERS;
  if (configured !== undefined)
    return configured
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
  const idleExpiring = readCatalogue()
    .filter((entry) => entry.use === "connect" && entry.refresh.inactivityExpiryDays !== null)
    .map((entry) => entry.id);
  return ["microsoft-entra-id", ...idleExpiring];
}

/** Refresh tokens not exercised for this long are exercised by the keep-alive run. */
export const KEEPALIVE_IDLE_MS = 6 * 24 * 60 * 60_000;

/**
 * Keep-alive: providers that expire a refresh token left unused (Microsoft's inactivity window) get
 * one refresh per connection that has not refreshed for 6 days, whether or not anyone used it.
 */
export async function keepRefreshTokensAlive(now = new Date()): Promise<RefreshRunReport> {
  const rows = await getDb().providerConnection.findMany({
    where: {
      status: "ACTIVE",
      provider: { in: keepAliveProviders() },
      OR: [{ lastRefreshedAt: null }, { lastRefreshedAt: { lte: new Date(now.getTime() - KEEPALIVE_IDLE_MS) } }],
      AND: [{ OR: [{ nextRefreshAt: null }, { nextRefreshAt: { lte: now } }] }],
      tokens: { some: { name: REFRESH_TOKEN } },
    },
    select: { userId: true, provider: true },
    take: 500,
  });
  const { refreshed, failed } = await refreshEach(rows, Infinity);
  return { candidates: rows.length, refreshed, failed, markedNeedsReconnect: 0 };
}
