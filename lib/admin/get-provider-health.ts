import { getDb } from "@/lib/db/client";

export type RefreshWindow = { succeeded: number; failed: number; successRate: number | null; p95LatencyMs: number | null };

export type ProviderHealthRow = {
  provider: string;
  lastHour: RefreshWindow;
  lastDay: RefreshWindow;
  /**
   * Set when the provider's most recent retryable refresh failed: the first such failure after its last success
   * (within a day). A dead grant (one person's revoked or expired refresh token) is no provider failure: it is
   * counted in deadGrantsLastDay instead.
   */
  failingSince: Date | null;
  /** How many distinct connections (people) failed since then. */
  failingConnections: number;
  /**
   * The red alarm (issue 25: one dead grant cried wolf): the provider itself is failing, i.e. Tessera's client was
   * refused, or retryable failures since the last success hit two or more connections, or two or more back off.
   */
  alarm: boolean;
  /** Connections in backoff now (no provider call before nextRefreshAt), and the latest nextRefreshAt. */
  backingOff: { connections: number; until: Date | null };
  deadGrantsLastDay: number;
  /** The provider refused Tessera's own client (ProviderHealth), most recent. */
  clientError: { at: Date; message: string | null } | null;
};

type WindowRow = {
  provider: string;
  okHour: bigint;
  failedHour: bigint;
  okDay: bigint;
  failedDay: bigint;
  p95Hour: number | null;
  p95Day: number | null;
};

/**
 * Per provider, from the refresh audit events (`provider_token.refreshed` / `provider_token.refresh_failed`,
 * whose detail carries the provider call's latencyMs), the connections' backoff and ProviderHealth.
 * Aggregated in the database; every provider seen in any of them is listed.
 */
export async function getProviderHealth(now = new Date()): Promise<ProviderHealthRow[]> {
  const db = getDb();
  const hourAgo = new Date(now.getTime() - 3600_000);
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const [windows, failing, backoff, dead, clientErrors] = await Promise.all([
    // One read of the last day's refresh events through the (action, createdAt) index; the hour is a FILTER of it
    // (a join with a VALUES list of windows hid the range from the planner: a scan of the whole trail, issue 26).
    db.$queryRaw<WindowRow[]>`
      SELECT provider,
             count(*) FILTER (WHERE action = 'provider_token.refreshed' AND "createdAt" >= ${hourAgo}) AS "okHour",
             count(*) FILTER (WHERE action = 'provider_token.refresh_failed' AND "createdAt" >= ${hourAgo}) AS "failedHour",
             count(*) FILTER (WHERE action = 'provider_token.refreshed') AS "okDay",
             count(*) FILTER (WHERE action = 'provider_token.refresh_failed') AS "failedDay",
             percentile_cont(0.95) WITHIN GROUP (ORDER BY (detail->>'latencyMs')::float8) FILTER (WHERE "createdAt" >= ${hourAgo}) AS "p95Hour",
             percentile_cont(0.95) WITHIN GROUP (ORDER BY (detail->>'latencyMs')::float8) AS "p95Day"
        FROM "AuditEvent"
       WHERE action IN ('provider_token.refreshed', 'provider_token.refresh_failed') AND "createdAt" >= ${dayAgo} AND provider IS NOT NULL
       GROUP BY provider`,
    // The first failure after the last success, for providers whose latest refresh event is a failure.
    // Dead grants (retryable: false) are left out: they are one person's grant, not the provider failing.
    db.$queryRaw<{ provider: string; since: Date; connections: bigint }[]>`
      WITH last_ok AS (
        SELECT provider, max("createdAt") AS at FROM "AuditEvent"
         WHERE action = 'provider_token.refreshed' AND "createdAt" >= ${dayAgo} GROUP BY provider
      )
      SELECT f.provider, min(f."createdAt") AS since, count(DISTINCT coalesce(f."subjectUserId", f.id)) AS connections
        FROM "AuditEvent" f LEFT JOIN last_ok ON last_ok.provider = f.provider
       WHERE f.action = 'provider_token.refresh_failed' AND f."createdAt" >= ${dayAgo} AND f.provider IS NOT NULL
         AND (f.detail->>'retryable') IS DISTINCT FROM 'false'
         AND (last_ok.at IS NULL OR f."createdAt" > last_ok.at)
       GROUP BY f.provider`,
    db.$queryRaw<{ provider: string; n: bigint; until: Date | null }[]>`
      SELECT provider, count(*) AS n, max("nextRefreshAt") AS until FROM "ProviderConnection"
       WHERE status = 'ACTIVE' AND "nextRefreshAt" > ${now} GROUP BY provider`,
    db.$queryRaw<{ provider: string; n: bigint }[]>`
      SELECT provider, count(*) AS n FROM "AuditEvent"
       WHERE action = 'connection.reconnect_required' AND "createdAt" >= ${dayAgo} AND provider IS NOT NULL GROUP BY provider`,
    db.providerHealth.findMany({ where: { lastClientErrorAt: { not: null } } }),
  ]);

  const providers = [...new Set([...windows, ...failing, ...backoff, ...dead, ...clientErrors].map((row) => row.provider))].sort();
  const windowOf = (provider: string, window: "hour" | "day"): RefreshWindow => {
    const row = windows.find((w) => w.provider === provider);
    const succeeded = Number((window === "hour" ? row?.okHour : row?.okDay) ?? 0);
    const failed = Number((window === "hour" ? row?.failedHour : row?.failedDay) ?? 0);
    const p95 = window === "hour" ? row?.p95Hour : row?.p95Day;
    return {
      succeeded,
      failed,
      successRate: succeeded + failed ? succeeded / (succeeded + failed) : null,
      p95LatencyMs: p95 == null ? null : Math.round(Number(p95)),
    };
  };
  return providers.map((provider) => {
    const off = backoff.find((row) => row.provider === provider);
    const clientError = clientErrors.find((row) => row.provider === provider);
    const failingRow = failing.find((row) => row.provider === provider);
    const failingConnections = Number(failingRow?.connections ?? 0);
    const backingOff = Number(off?.n ?? 0);
    const recentClientError = Boolean(clientError && clientError.lastClientErrorAt! >= dayAgo);
    return {
      provider,
      lastHour: windowOf(provider, "hour"),
      lastDay: windowOf(provider, "day"),
      failingSince: failingRow?.since ?? null,
      failingConnections,
      alarm: recentClientError || (failingRow !== undefined && (failingConnections >= 2 || backingOff >= 2)),
      backingOff: { connections: Number(off?.n ?? 0), until: off?.until ?? null },
      deadGrantsLastDay: Number(dead.find((row) => row.provider === provider)?.n ?? 0),
      clientError: clientError ? { at: clientError.lastClientErrorAt!, message: clientError.lastClientError } : null,
    };
  });
}
