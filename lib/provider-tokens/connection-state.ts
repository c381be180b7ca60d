import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { NotConnectedError, ReconnectRequiredError, RefreshUnavailableError } from "./errors";
import { openToken } from "./token-cipher";
import { ACCESS_TOKEN } from "./token-names";

/** Refresh when the access token expires within this margin. */
export const REFRESH_SKEW_MS = 60_000;

export type FreshAccessToken = { accessToken: string; expiresAt: Date | null; scopes: string[]; refreshed: boolean };

export type Connection = Prisma.ProviderConnectionGetPayload<{ include: { tokens: true } }>;

/** What a caller will accept: a token valid for skewMs more, and not the one the provider refused. */
export type Want = { skewMs: number; rejected?: string };

type TokenRow = { userId: string; provider: string; name: string; ciphertext: string };

/** The connection with its tokens; throws when it is missing, being revoked or dead. */
export async function readUsableConnection(userId: string, provider: string): Promise<Connection> {
  const connection = await getDb().providerConnection.findUnique({ where: { userId_provider: { userId, provider } }, include: { tokens: true } });
  return checkUsable(provider, connection);
}

function checkUsable<C extends { status: Connection["status"]; reconnectReason: string | null }>(provider: string, connection: C | null): C {
  // Revoke-all marked it: the tokens wait for the provider's revocation and are never handed out.
  if (!connection || connection.status === "REVOCATION_PENDING" || connection.status === "REVOCATION_FAILED") throw new NotConnectedError(provider);
  if (connection.status === "NEEDS_RECONNECT") throw new ReconnectRequiredError(provider, connection.reconnectReason ?? "the grant is no longer valid");
  return connection;
}

export function usableAccessToken(connection: Connection, want: Want = { skewMs: REFRESH_SKEW_MS }): FreshAccessToken | null {
  return storedAccessToken(connection.tokens.find((t) => t.name === ACCESS_TOKEN) ?? null, connection.accessTokenExpiresAt, connection.scopes, want);
}

/** The stored access token when it is what the caller wants (valid for skewMs more, not the rejected one), else null (a refresh is due). */
function storedAccessToken(row: TokenRow | null, expiresAt: Date | null, scopes: string[], want: Want): FreshAccessToken | null {
  if (!row) return null;
  if (want.skewMs === Infinity) return null;
  if (expiresAt && expiresAt.getTime() - want.skewMs <= Date.now()) return null;
  const accessToken = openToken(row);
  if (want.rejected !== undefined && accessToken === want.rejected) return null;
  return { accessToken, expiresAt, scopes, refreshed: false };
}

/** A connection as another query read it (the token exchange and the proxy read it with the service's block in one round trip). */
export type ConnectionSnapshot = {
  status: Connection["status"];
  reconnectReason: string | null;
  accessTokenExpiresAt: Date | null;
  scopes: string[];
  /** The stored access_token row, if any. */
  accessToken: TokenRow | null;
};

/**
 * The fast path of getFreshAccessToken (default options) for a connection already read: throws as it
 * would when the connection is missing, being revoked or dead; returns the stored access token when
 * no refresh is due; null when one is (then call getFreshAccessToken, which refreshes once under the
 * lease). The caller records the connection's use (readExchangeState does, in its read).
 */
export function accessTokenFromSnapshot(provider: string, snapshot: ConnectionSnapshot | null): FreshAccessToken | null {
  const connection = checkUsable(provider, snapshot);
  return storedAccessToken(connection.accessToken, connection.accessTokenExpiresAt, connection.scopes, { skewMs: REFRESH_SKEW_MS });
}

/** During backoff: fail at once, with no provider call and no audit row. */
export function throwIfBackingOff(connection: Connection): void {
  const next = connection.nextRefreshAt?.getTime();
  if (next === undefined || next <= Date.now()) return;
  throw new RefreshUnavailableError(
    connection.provider,
    connection.lastRefreshError ?? "recent refreshes failed",
    Math.max(1, Math.ceil((next - Date.now()) / 1000)),
  );
}
