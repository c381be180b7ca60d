import { getDb } from "@/lib/db/client";
import { needsReconnect } from "@/lib/provider-tokens/mark-needs-reconnect";
import { obtainAccessToken } from "@/lib/provider-tokens/obtain-access-token";
import { REFRESH_TOKEN } from "@/lib/provider-tokens/token-names";
import { REFRESH_SKEW_MS } from "@/lib/provider-tokens/get-fresh-access-token";
import { readCatalogue } from "@/lib/providers/load-catalogue";
import { logger } from "@/lib/log/logger";

export const REFRESH_AHEAD_MS = 15 * 60_000;
export const RECENT_USE_DAYS = 30;
/** Failed since at least 3 days ago and still failing: failures on 4 consecutive days. */
export const DEAD_AFTER_FAILING_MS = 3 * 24 * 60 * 60_000;
/**
 * Provider refreshes a background job has in flight at once in this process (TESSERA_REFRESH_CONCURRENCY,
 * default 8): a storm of due connections must not become a storm at the provider.
 */
export const REFRESH_CONCURRENCY = 8;
/** Connection ids per batch job: small enough that every instance gets a share, large enough to keep 8 busy. */
export const REFRESH_BATCH_SIZE = 100;
/** Due connections read per query while planning (keyset pages: no offset, no limit on the total). */
const PLAN_PAGE_SIZE = 1000;

export type RefreshRunReport = { candidates: number; refreshed: number; failed: number; markedNeedsReconnect: number; batches?: number };

export function refreshConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.TESSERA_REFRESH_CONCURRENCY);
  return Number.isInteger(configured) && configured > 0 ? configured : REFRESH_CONCURRENCY;
}

/** Counts the calls it lets through; `peak` is what a bench or test reads (obtainAccessToken calls ≥ provider calls). */
export type RefreshLimiter = { readonly limit: number; inFlight: number; peak: number; run<T>(fn: () => Promise<T>): Promise<T> };

export function createRefreshLimiter(limit = refreshConcurrency()): RefreshLimiter {
  const waiting: (() => void)[] = [];
  const limiter: RefreshLimiter = {
    limit,
    inFlight: 0,
    peak: 0,
    async run(fn) {
      if (limiter.inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      // A released slot is handed over without decrementing, so a newcomer cannot overtake a waiter.
      else limiter.inFlight++;
      limiter.peak = Math.max(limiter.peak, limiter.inFlight);
      try {
        return await fn();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else limiter.inFlight--;
      }
    },
  };
  return limiter;
}

const holder = globalThis as unknown as { tesseraRefreshLimiter?: RefreshLimiter };

/** The process's one limiter: every background refresh (batches, keep-alive, a local proactive run) shares it. */
export function processRefreshLimiter(): RefreshLimiter {
  holder.tesseraRefreshLimiter ??= createRefreshLimiter();
  return holder.tesseraRefreshLimiter;
}

/** windowMs(row): refresh when the access token expires within this window (obtainAccessToken's refreshWithinMs). */
async function refreshEach<Row extends { userId: string; provider: string }>(
  rows: Row[],
  windowMs: (row: Row) => number,
  limiter: RefreshLimiter = processRefreshLimiter(),
): Promise<Pick<RefreshRunReport, "refreshed" | "failed">> {
  let refreshed = 0;
  let failed = 0;
  await Promise.all(
    rows.map((row) =>
      limiter.run(async () => {
        const { userId, provider } = row;
        try {
          // The same door as every caller: the lease (one refresh across instances), backoff and failure states.
          const outcome = await obtainAccessToken(userId, provider, { refreshWithinMs: windowMs(row), background: true });
          if (outcome.status !== "ok") failed++;
          else if (outcome.token.refreshed) refreshed++;
        } catch (error) {
          failed++;
          logger.error({ provider, err: error instanceof Error ? error.message : String(error) }, "background refresh failed");
        }
      }),
    ),
  );
  return { refreshed, failed };
}

type Due = { id: string; accessTokenExpiresAt: Date | null };

/**
 * Every connection due for a proactive refresh (used in the last 30 days, access token expiring within
 * 15 minutes, a refresh token, not backing off), soonest expiry first, in keyset pages of PLAN_PAGE_SIZE.
 */
async function* dueConnectionPages(now: Date): AsyncGenerator<Due[]> {
  let after: Due | null = null;
  for (;;) {
    const page: Due[] = await getDb().providerConnection.findMany({
      where: {
        status: "ACTIVE",
        lastUsedAt: { gte: new Date(now.getTime() - RECENT_USE_DAYS * 86_400_000) },
        accessTokenExpiresAt: { lte: new Date(now.getTime() + REFRESH_AHEAD_MS) },
        OR: [{ nextRefreshAt: null }, { nextRefreshAt: { lte: now } }],
        tokens: { some: { name: REFRESH_TOKEN } },
        ...(after
          ? {
              AND: [
                {
                  OR: [
                    { accessTokenExpiresAt: { gt: after.accessTokenExpiresAt! } },
                    { accessTokenExpiresAt: after.accessTokenExpiresAt!, id: { gt: after.id } },
                  ],
                },
              ],
            }
          : {}),
      },
      select: { id: true, accessTokenExpiresAt: true },
      orderBy: [{ accessTokenExpiresAt: "asc" }, { id: "asc" }],
      take: PLAN_PAGE_SIZE,
    });
    if (page.length) yield page;
    if (page.length < PLAN_PAGE_SIZE) return;
    after = page[page.length - 1]!;
  }
}

/** A batch job's data: when the run that planned it started, and each connection with the expiry it saw (ISO). */
export type RefreshBatch = { plannedAt: string; connections: { id: string; expiresAt: string }[] };

export type RefreshAheadOptions = {
  /**
   * Hand each batch to the queue (the cron job does: every instance's worker takes batches, one at a
   * time, so a storm is spread over all of them). Without it this process refreshes every batch itself.
   */
  enqueue?: (batch: RefreshBatch) => Promise<unknown>;
  limiter?: RefreshLimiter;
};

/**
 * Proactive refresh: every connection used in the last 30 days whose access token expires within
 * 15 minutes (and has a refresh token, and is not backing off) is refreshed now, so callers never wait
 * on a provider; however many there are (pages, no cap), most urgent first, at most
 * TESSERA_REFRESH_CONCURRENCY provider calls in flight per process. Then connections whose refreshes
 * have failed on 4 consecutive days need reconnecting.
 */
export async function refreshAhead(now = new Date(), options: RefreshAheadOptions = {}): Promise<RefreshRunReport> {
  const plannedAt = now.toISOString();
  let candidates = 0;
  let batches = 0;
  const totals = { refreshed: 0, failed: 0 };
  for await (const page of dueConnectionPages(now)) {
    candidates += page.length;
    for (let start = 0; start < page.length; start += REFRESH_BATCH_SIZE) {
      const connections = page.slice(start, start + REFRESH_BATCH_SIZE).map((row) => ({ id: row.id, expiresAt: row.accessTokenExpiresAt!.toISOString() }));
      const batch: RefreshBatch = { plannedAt, connections };
      batches++;
      if (options.enqueue) await options.enqueue(batch);
      else {
        const done = await refreshBatch(batch, { now, limiter: options.limiter });
        totals.refreshed += done.refreshed;
        totals.failed += done.failed;
      }
    }
  }
  const markedNeedsReconnect = await markLongFailingConnections(now);
  return { candidates, ...totals, markedNeedsReconnect, batches };
}

/**
 * One batch. Never twice in one storm: a connection refreshed since the run that planned it (an overlapping
 * run, another instance, a caller) is skipped here; one refreshed after this read is still left alone,
 * because obtainAccessToken is asked to refresh only a token that expires no later than the one planned
 * (refreshWithinMs = planned expiry − now, re-checked under the lease: a new token always expires later).
 * Two callers at once: the lease makes one of them call the provider and the other wait for its token.
 */
export async function refreshBatch(
  batch: RefreshBatch,
  options: { now?: Date; limiter?: RefreshLimiter } = {},
): Promise<Pick<RefreshRunReport, "refreshed" | "failed"> & { skipped: number; peakInFlight: number }> {
  const now = options.now ?? new Date();
  const plannedExpiry = new Map(batch.connections.map((c) => [c.id, new Date(c.expiresAt).getTime()]));
  const rows = await getDb().providerConnection.findMany({
    where: {
      id: { in: [...plannedExpiry.keys()] },
      status: "ACTIVE",
      accessTokenExpiresAt: { lte: new Date(now.getTime() + REFRESH_AHEAD_MS) },
      OR: [{ lastRefreshedAt: null }, { lastRefreshedAt: { lt: new Date(batch.plannedAt) } }],
      AND: [{ OR: [{ nextRefreshAt: null }, { nextRefreshAt: { lte: now } }] }],
    },
    select: { id: true, userId: true, provider: true },
    orderBy: { accessTokenExpiresAt: "asc" },
  });
  const limiter = options.limiter ?? processRefreshLimiter();
  // Asked when the call starts (a batch waits its turn): at least the default 60 s, as any caller would.
  const done = await refreshEach(rows, (row) => Math.max(plannedExpiry.get(row.id)! - Date.now(), REFRESH_SKEW_MS), limiter);
  // The peak since the process started, in the job log: what an operator (and the bench) checks against the limit.
  return { ...done, skipped: plannedExpiry.size - rows.length, peakInFlight: limiter.peak };
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
  const { refreshed, failed } = await refreshEach(rows, () => Infinity);
  return { candidates: rows.length, refreshed, failed, markedNeedsReconnect: 0 };
}
