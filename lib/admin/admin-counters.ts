import { getDb, getPool } from "@/lib/db/client";

/*
 * The admin overview's counts (issue 26): triggers on the counted tables append per-key deltas to "AdminCounter"
 * (prisma/migrations/20261204153842_admin_counters), so a count is a sum over a small table instead of a scan of a
 * million rows, and exact, not an estimate. foldAdminCounters keeps the table small.
 */
export type AdminCounts = {
  users: number;
  admins: number;
  accounts: { provider: string; count: number }[];
  activeConnections: { provider: string; count: number }[];
  needsReconnect: number;
  pats: { active: number; expired: number; revoked: number };
};

/** Sums every key; the PAT split needs the clock: a token stops being active when its day comes, not by a write. */
export async function readAdminCounts(now = new Date()): Promise<AdminCounts> {
  const pool = getPool();
  const today = now.toISOString().slice(0, 10);
  const startOfToday = new Date(`${today}T00:00:00.000Z`);
  const [sums, expiringToday] = await Promise.all([
    pool.query<{ key: string; n: string }>(`SELECT key, sum(delta)::text AS n FROM "AdminCounter" GROUP BY key`),
    // Unrevoked tokens whose expiry day is today and already past: the one day counted row by row (an index range).
    // Through Prisma: it writes these timestamps, so it compares them in the same time zone.
    getDb().personalAccessToken.count({ where: { revokedAt: null, expiresAt: { gte: startOfToday, lte: now } } }),
  ]);
  const counts: AdminCounts = { users: 0, admins: 0, accounts: [], activeConnections: [], needsReconnect: 0, pats: { active: 0, expired: 0, revoked: 0 } };
  let unrevoked = 0;
  let expired = expiringToday;
  for (const { key, n } of sums.rows) {
    const value = Number(n);
    const [kind, detail] = splitKey(key);
    if (kind === "users") counts.users = value;
    else if (kind === "admins") counts.admins = value;
    else if (kind === "accounts" && value) counts.accounts.push({ provider: detail, count: value });
    else if (kind === "connections_active" && value) counts.activeConnections.push({ provider: detail, count: value });
    else if (kind === "connections_needs_reconnect") counts.needsReconnect = value;
    else if (kind === "pats_revoked") counts.pats.revoked = value;
    else if (kind === "pats_unrevoked") {
      unrevoked += value;
      if (detail < today) expired += value;
    }
  }
  counts.pats.expired = expired;
  counts.pats.active = unrevoked - expired;
  const byProvider = (a: { provider: string }, b: { provider: string }) => a.provider.localeCompare(b.provider);
  counts.accounts.sort(byProvider);
  counts.activeConnections.sort(byProvider);
  return counts;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf(":");
  return at === -1 ? [key, ""] : [key.slice(0, at), key.slice(at + 1)];
}

/**
 * Replaces every key's rows with one row holding their sum (keys that sum to 0 disappear). One statement: rows
 * appended meanwhile are not in its snapshot and stay; two instances folding at once each fold what they deleted.
 */
export async function foldAdminCounters(): Promise<{ before: number; after: number }> {
  const { rows } = await getPool().query<{ before: string; after: string }>(
    `WITH gone AS (DELETE FROM "AdminCounter" RETURNING key, delta),
          kept AS (INSERT INTO "AdminCounter" (key, delta) SELECT key, sum(delta) FROM gone GROUP BY key HAVING sum(delta) <> 0 RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::text AS before, (SELECT count(*) FROM kept)::text AS after`,
  );
  return { before: Number(rows[0]!.before), after: Number(rows[0]!.after) };
}
