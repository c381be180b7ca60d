import { getDb } from "@/lib/db/client";
import { CLIENT_ERROR_STATE } from "@/lib/provider-tokens/record-provider-client-error";

export type AdminOverview = {
  users: number;
  admins: number;
  linkedAccounts: { provider: string; count: number }[];
  usersWithTokens: { provider: string; count: number }[];
  needsReconnect: number;
  pats: { active: number; expired: number; revoked: number };
  last24h: { refreshFailures: number; adminActions: number };
  /** Providers that refused Tessera's own client on their last refresh (no user can refresh there). */
  providerHealth: { provider: string; state: string; since: Date; detail: string | null }[];
};

const ADMIN_ACTIONS = ["admin.revoke_all", "user.role_changed", "session.ended"];

/** Every figure is computed by the database with grouped counts; no rows are loaded. */
export async function getOverview(now = new Date()): Promise<AdminOverview> {
  const db = getDb();
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [users, linked, withTokens, needsReconnect, pats, failures, adminActions, unhealthy] = await Promise.all([
    db.$queryRaw<{ total: bigint; admins: bigint }[]>`SELECT count(*) AS total, count(*) FILTER (WHERE role = 'ADMIN') AS admins FROM "User"`,
    db.$queryRaw<{ provider: string; n: bigint }[]>`SELECT provider, count(*) AS n FROM "Account" GROUP BY provider ORDER BY provider`,
    // An ACTIVE connection always has stored tokens (dead grants keep none and are NEEDS_RECONNECT),
    // and there is one per user and provider: counting them is counting users, without a DISTINCT.
    db.$queryRaw<
      { provider: string; n: bigint }[]
    >`SELECT provider, count(*) AS n FROM "ProviderConnection" WHERE status = 'ACTIVE' GROUP BY provider ORDER BY provider`,
    db.providerConnection.count({ where: { status: "NEEDS_RECONNECT" } }),
    db.$queryRaw<{ active: bigint; expired: bigint; revoked: bigint }[]>`
      SELECT count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" > ${now}) AS active,
             count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" <= ${now}) AS expired,
             count(*) FILTER (WHERE "revokedAt" IS NOT NULL) AS revoked
      FROM "PersonalAccessToken"`,
    db.auditEvent.count({ where: { action: "provider_token.refresh_failed", createdAt: { gte: since } } }),
    db.auditEvent.count({ where: { action: { in: ADMIN_ACTIONS }, createdAt: { gte: since } } }),
    db.providerHealth.findMany({ where: { lastClientErrorAt: { not: null } }, orderBy: { provider: "asc" } }),
  ]);
  return {
    users: Number(users[0]!.total),
    admins: Number(users[0]!.admins),
    linkedAccounts: linked.map((r) => ({ provider: r.provider, count: Number(r.n) })),
    usersWithTokens: withTokens.map((r) => ({ provider: r.provider, count: Number(r.n) })),
    needsReconnect,
    pats: { active: Number(pats[0]!.active), expired: Number(pats[0]!.expired), revoked: Number(pats[0]!.revoked) },
    last24h: { refreshFailures: failures, adminActions },
    providerHealth: unhealthy.map((h) => ({ provider: h.provider, state: CLIENT_ERROR_STATE, since: h.lastClientErrorAt!, detail: h.lastClientError })),
  };
}
