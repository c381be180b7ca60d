import { getDb } from "@/lib/db/client";
import type { ConnectionStatus as StoredConnectionStatus } from "@/lib/db/generated/client";
import { findCatalogueEntry, listConnectableProviders, listEnabledProviders, PROVIDER_IDS, providerLabel } from "@/lib/providers/catalog";

export type ConnectionStatus = "api_access" | "linked" | "needs_reconnect" | "revocation_pending" | "revocation_failed" | "not_linked";

export type ConnectionView = {
  provider: string;
  label: string;
  /** "sign-in": Auth.js signs people in with it (and links it); "connect": API access through Tessera's connect flow only. */
  use: "sign-in" | "connect";
  enabled: boolean;
  status: ConnectionStatus;
  tokenNames: string[];
  /** Which account at the provider: its id there (the stored tokens' account, else the sign-in link's); null when none. */
  accountId: string | null;
  scopes: string[];
  expiresAt: Date | null;
  lastRefreshedAt: Date | null;
  reconnectReason: string | null;
  reconnectRequiredAt: Date | null;
  /** Set while revoke-all waits for the provider to confirm (tokens kept, never used). */
  revocation: { since: Date | null; attempts: number; error: string | null } | null;
};

// Connection states that speak for themselves, whatever tokens are stored.
const STORED_STATUS: Partial<Record<StoredConnectionStatus, ConnectionStatus>> = {
  NEEDS_RECONNECT: "needs_reconnect",
  REVOCATION_PENDING: "revocation_pending",
  REVOCATION_FAILED: "revocation_failed",
};

/**
 * What a user has at each provider: login link, stored API access (token names only), or a dead
 * grant. One query per table, no token values read.
 */
export async function listConnections(userId: string): Promise<ConnectionView[]> {
  const db = getDb();
  const [accounts, connections] = await Promise.all([
    db.account.findMany({ where: { userId }, select: { provider: true, providerAccountId: true } }),
    db.providerConnection.findMany({ where: { userId }, include: { tokens: { select: { name: true } } } }),
  ]);
  const connectable = listConnectableProviders().map((p) => p.entry.id);
  const enabled = new Set<string>([...listEnabledProviders().map((p) => p.id), ...connectable]);
  const linked = new Set(accounts.map((a) => a.provider));
  // The sign-in three, then every connect-only provider enabled here, then whatever else this person still holds.
  const known = [...new Set<string>([...PROVIDER_IDS, ...connectable, ...linked, ...connections.map((c) => c.provider)])];
  return known.map((provider) => {
    const connection = connections.find((c) => c.provider === provider);
    const tokenNames = connection?.tokens.map((t) => t.name).sort() ?? [];
    const status: ConnectionStatus =
      (connection && STORED_STATUS[connection.status]) ?? (tokenNames.length ? "api_access" : linked.has(provider) ? "linked" : "not_linked");
    return {
      provider,
      label: providerLabel(provider),
      use: findCatalogueEntry(provider)?.use ?? "connect",
      enabled: enabled.has(provider),
      status,
      tokenNames,
      accountId: connection?.providerAccountId ?? accounts.find((a) => a.provider === provider)?.providerAccountId ?? null,
      scopes: connection?.scopes ?? [],
      expiresAt: tokenNames.length ? (connection?.accessTokenExpiresAt ?? null) : null,
      lastRefreshedAt: connection?.lastRefreshedAt ?? null,
      reconnectReason: connection?.reconnectReason ?? null,
      reconnectRequiredAt: connection?.reconnectRequiredAt ?? null,
      revocation:
        status === "revocation_pending" || status === "revocation_failed"
          ? { since: connection!.revocationPendingAt, attempts: connection!.revocationAttempts, error: connection!.revocationError }
          : null,
    };
  });
}
