import { getDb } from "@/lib/db/client";
import { listEnabledProviders, PROVIDER_IDS, providerLabel } from "@/lib/providers/catalog";

export type ConnectionStatus = "api_access" | "linked" | "needs_reconnect" | "not_linked";

export type ConnectionView = {
  provider: string;
  label: string;
  enabled: boolean;
  status: ConnectionStatus;
  tokenNames: string[];
  scopes: string[];
  expiresAt: Date | null;
  lastRefreshedAt: Date | null;
  reconnectReason: string | null;
  reconnectRequiredAt: Date | null;
};

/**
 * What a user has at each provider: login link, stored API access (token names only), or a dead
 * grant. One query per table, no token values read.
 */
export async function listConnections(userId: string): Promise<ConnectionView[]> {
  const db = getDb();
  const [accounts, connections] = await Promise.all([
    db.account.findMany({ where: { userId }, select: { provider: true } }),
    db.providerConnection.findMany({ where: { userId }, include: { tokens: { select: { name: true } } } }),
  ]);
  const enabled = new Set(listEnabledProviders().map((p) => p.id));
  const linked = new Set(accounts.map((a) => a.provider));
  const known = [...new Set<string>([...PROVIDER_IDS, ...linked, ...connections.map((c) => c.provider)])];
  return known.map((provider) => {
    const connection = connections.find((c) => c.provider === provider);
    const tokenNames = connection?.tokens.map((t) => t.name).sort() ?? [];
    const status: ConnectionStatus =
      connection?.status === "NEEDS_RECONNECT"
        ? "needs_reconnect"
        : tokenNames.length
          ? "api_access"
          : linked.has(provider)
            ? "linked"
            : "not_linked";
    return {
      provider,
      label: providerLabel(provider),
      enabled: enabled.has(provider as never),
      status,
      tokenNames,
      scopes: connection?.scopes ?? [],
      expiresAt: tokenNames.length ? (connection?.accessTokenExpiresAt ?? null) : null,
      lastRefreshedAt: connection?.lastRefreshedAt ?? null,
      reconnectReason: connection?.reconnectReason ?? null,
      reconnectRequiredAt: connection?.reconnectRequiredAt ?? null,
    };
  });
}
