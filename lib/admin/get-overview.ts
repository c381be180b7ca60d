import { getDb } from "@/lib/db/client";
import { readAdminCounts } from "./admin-counters";
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

/**
 * The counts come from maintained counters (lib/admin/admin-counters.ts: exact, no scan at a million users); the
 * last day's figures from the audit trail's (action, createdAt) index.
 */
export async function getOverview(now = new Date()): Promise<AdminOverview> {
  const db = getDb();
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [counts, failures, adminActions, unhealthy] = await Promise.all([
    readAdminCounts(now),
    db.auditEvent.count({ where: { action: "provider_token.refresh_failed", createdAt: { gte: since } } }),
    db.auditEvent.count({ where: { action: { in: ADMIN_ACTIONS }, createdAt: { gte: since } } }),
    db.providerHealth.findMany({ where: { lastClientErrorAt: { not: null } }, orderBy: { provider: "asc" } }),
  ]);
  return {
    users: counts.users,
    admins: counts.admins,
    linkedAccounts: counts.accounts,
    // An ACTIVE connection always has stored tokens (dead grants keep none and are NEEDS_RECONNECT), and there is
    // one per user and provider: counting them is counting users with API access.
    usersWithTokens: counts.activeConnections,
    needsReconnect: counts.needsReconnect,
    pats: counts.pats,
    last24h: { refreshFailures: failures, adminActions },
    providerHealth: unhealthy.map((h) => ({ provider: h.provider, state: CLIENT_ERROR_STATE, since: h.lastClientErrorAt!, detail: h.lastClientError })),
  };
}
