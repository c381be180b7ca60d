import { randomUUID } from "node:crypto";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import { getMetrics } from "@/lib/metrics/metrics";
import { getProviderClient } from "@/lib/providers/catalog";
import { NotConnectedError, ProviderTokenError, ReconnectRequiredError, RefreshUnavailableError } from "./errors";
import { PROVIDER_TIMEOUT_MS } from "./provider-http";
import { clearProviderClientError, recordProviderClientError } from "./record-provider-client-error";
import { refreshAtProvider, type RefreshedTokens } from "./refresh-at-provider";
import { openToken } from "./token-cipher";
import { ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN } from "./token-names";
import { writeTokenRow } from "./token-rows";

/** Refresh when the access token expires within this margin. */
export const REFRESH_SKEW_MS = 60_000;
/** The refresh lease outlasts the provider call, so only a crashed or stalled holder ever loses it. */
export const REFRESH_LEASE_MS = PROVIDER_TIMEOUT_MS + 5_000;
/** How long a caller waits on someone else's lease: slightly more than one provider call. */
const LEASE_WAIT_MS = PROVIDER_TIMEOUT_MS + 2_000;
const POLL_MS = 50;
/** Backoff after consecutive failures: 5 s, 10 s, 20 s … capped at 5 min; a provider's Retry-After up to 1 h. */
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 5 * 60_000;
const RETRY_AFTER_CAP_MS = 60 * 60_000;

const SYSTEM: AuditActor = { type: "system" };

export type FreshAccessToken = { accessToken: string; expiresAt: Date | null; scopes: string[]; refreshed: boolean };

type Connection = Prisma.ProviderConnectionGetPayload<{ include: { tokens: true } }>;

// Same-process callers share one promise; the lease on the connection row serialises processes.
const inFlight = new Map<string, Promise<FreshAccessToken>>();

export type FreshAccessTokenOptions = {
  /**
   * The provider refused this access token (a 401 to the proxy): treat it as expired, whatever its
   * expiry says. Goes through the same single flight and lease, so any number of callers that saw the
   * same 401 cause one refresh; a caller that arrives after it finds the new token and uses it.
   */
  rejectedAccessToken?: string;
  /** Refresh when the token expires within this window (default REFRESH_SKEW_MS; Infinity forces one). */
  refreshWithinMs?: number;
  /** A background job (proactive refresh, keep-alive), not a caller: does not count as use. */
  background?: boolean;
};

/** What a caller will accept: a token valid for skewMs more, and not the one the provider refused. */
type Want = { skewMs: number; rejected?: string };

/**
 * A usable access token for the user at the provider, refreshed when it expires within 60 s.
 * Any number of concurrent callers, in any number of processes sharing the database, cause one
 * refresh at the provider, and no database connection or transaction is held while it runs.
 * Throws NotConnectedError, ReconnectRequiredError (grant is dead: the connection is marked and its
 * tokens deleted) or RefreshUnavailableError (retry later; tokens kept).
 */
export function getFreshAccessToken(userId: string, provider: string, options: FreshAccessTokenOptions = {}): Promise<FreshAccessToken> {
  const want: Want = { skewMs: options.refreshWithinMs ?? REFRESH_SKEW_MS, rejected: options.rejectedAccessToken };
  // A forced refresh never joins a plain read (which could hand back the rejected token), only other forced ones.
  const key = `${userId}\u0000${provider}\u0000${want.skewMs}${want.rejected ? "\u0000rejected" : ""}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = loadOrRefresh(userId, provider, want).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  if (!options.background) void recordConnectionUse(userId, provider);
  return pending;
}

/** lastUsedAt, written at most once an hour per connection (proactive refresh reads it in days). */
async function recordConnectionUse(userId: string, provider: string): Promise<void> {
  await getDb()
    .$executeRaw`UPDATE "ProviderConnection" SET "lastUsedAt" = now() WHERE "userId" = ${userId} AND provider = ${provider} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 hour')`
    .catch(() => {});
}

async function loadOrRefresh(userId: string, provider: string, want: Want): Promise<FreshAccessToken> {
  const waitUntil = Date.now() + LEASE_WAIT_MS;
  let leaseTakenBySomeoneElse = false;
  for (;;) {
    const current = await readUsableConnection(userId, provider);
    // Waiting on someone else's lease: their result is fresh enough, whatever window we asked for.
    const fresh = usableAccessToken(current, leaseTakenBySomeoneElse ? { skewMs: REFRESH_SKEW_MS, rejected: want.rejected } : want);
    if (fresh) return fresh;
    throwIfBackingOff(current);
    const leaseId = randomUUID();
    if (await claimLease(current.id, leaseId)) return refreshUnderLease(userId, provider, leaseId, want).catch((error: unknown) => releaseAfterCrash(current.id, leaseId, error));
    leaseTakenBySomeoneElse = true;
    // Someone else (this or another process) is refreshing: wait for the token it stores.
    if (Date.now() > waitUntil) throw new RefreshUnavailableError(provider, "another refresh of this connection is taking too long", 5);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
}

/**
 * Takes the right to refresh with one conditional UPDATE (auto-committed, no transaction left open).
 * Only an ACTIVE connection that is not in backoff and whose lease is free or expired can be claimed.
 */
async function claimLease(connectionId: string, leaseId: string): Promise<boolean> {
  const claimed = await getDb().$executeRaw`
    UPDATE "ProviderConnection"
    SET "refreshLeaseId" = ${leaseId}, "refreshingUntil" = now() + make_interval(secs => ${REFRESH_LEASE_MS / 1000})
    WHERE id = ${connectionId} AND status = 'ACTIVE'
      AND ("nextRefreshAt" IS NULL OR "nextRefreshAt" <= now())
      AND ("refreshingUntil" IS NULL OR "refreshingUntil" < now())`;
  return claimed === 1;
}

async function refreshUnderLease(userId: string, provider: string, leaseId: string, want: Want): Promise<FreshAccessToken> {
  // Re-read while holding the lease: the previous holder may have stored a fresh token just before releasing.
  const connection = await readUsableConnection(userId, provider);
  const already = usableAccessToken(connection, want);
  if (already) {
    await releaseLease(connection.id, leaseId, {});
    return already;
  }
  const refreshRow = connection.tokens.find((t) => t.name === REFRESH_TOKEN);
  // An early (background) refresh of a token that is still valid never kills a grant for want of a refresh token.
  const stillValid = want.skewMs > REFRESH_SKEW_MS && !want.rejected ? usableAccessToken(connection) : null;
  if (!refreshRow && stillValid) {
    await releaseLease(connection.id, leaseId, {});
    return stillValid;
  }
  if (!refreshRow) return markDead(connection, leaseId, want.rejected ? "the provider refused the access token and gave no refresh token" : "the access token expired and the provider gave no refresh token");
  const client = getProviderClient(provider);
  if (!client) {
    await releaseLease(connection.id, leaseId, {});
    return unavailable(connection, `${provider} is not configured on this server`, 30);
  }

  // No transaction and no connection held here: the provider may take up to PROVIDER_TIMEOUT_MS.
  const started = performance.now();
  const result = await refreshAtProvider(client, openToken(refreshRow)).catch((error: unknown) => {
    observeRefresh(provider, "error", started);
    throw error;
  });
  const latencyMs = observeRefresh(provider, result.ok ? "ok" : result.kind, started);

  // latencyMs goes into the audit event: the admin's provider health panel reads p95 from there.
  if (result.ok) return saveRefreshed(connection, leaseId, result.tokens, latencyMs);
  if (result.kind === "invalid_grant") return markDead(connection, leaseId, result.reason, latencyMs);
  if (result.kind === "client_error") {
    // Tessera's registration, not this user's grant: keep the tokens, flag the provider, log per provider.
    await recordProviderClientError(provider, result.reason);
    return backOff(connection, leaseId, `provider rejected Tessera's client (${result.reason})`, null, { logPerUser: false, latencyMs });
  }
  return backOff(connection, leaseId, result.reason, result.retryAfterMs, { logPerUser: true, latencyMs });
}

/** Counts one provider call in the metrics; returns its latency in whole milliseconds. */
function observeRefresh(provider: string, outcome: string, started: number): number {
  const seconds = (performance.now() - started) / 1000;
  const { providerRefreshes, providerRefreshDuration } = getMetrics();
  providerRefreshes.inc({ provider, outcome });
  providerRefreshDuration.observe({ provider, outcome }, seconds);
  return Math.round(seconds * 1000);
}

/**
 * Writes under the lease: a compare-and-set on refreshLeaseId inside one short transaction that also
 * releases the lease. Returns false (and writes nothing) when the lease was lost to someone else.
 */
async function writeUnderLease(connectionId: string, leaseId: string, data: Prisma.ProviderConnectionUpdateManyMutationInput, more?: (tx: Prisma.TransactionClient) => Promise<void>): Promise<boolean> {
  const lost = Symbol("lease lost");
  try {
    await getDb().$transaction(async (tx) => {
      // status ACTIVE too: a revoke-all that marked the connection mid-refresh wins over the refresh.
      const { count } = await tx.providerConnection.updateMany({ where: { id: connectionId, refreshLeaseId: leaseId, status: "ACTIVE" }, data: { ...data, refreshLeaseId: null, refreshingUntil: null } });
      if (count !== 1) throw lost;
      await more?.(tx);
    });
    return true;
  } catch (error) {
    if (error === lost) return false;
    throw error;
  }
}

async function releaseLease(connectionId: string, leaseId: string, data: Prisma.ProviderConnectionUpdateManyMutationInput): Promise<void> {
  await getDb().providerConnection.updateMany({ where: { id: connectionId, refreshLeaseId: leaseId }, data: { ...data, refreshLeaseId: null, refreshingUntil: null } });
}

/** An unexpected error (database, decryption) under the lease: free it now rather than in 15 s, then rethrow. */
async function releaseAfterCrash(connectionId: string, leaseId: string, error: unknown): Promise<never> {
  if (!(error instanceof ProviderTokenError)) await releaseLease(connectionId, leaseId, {}).catch(() => {});
  throw error;
}

/** The lease was lost (we stalled past it, or the connection was removed): keep what the winner stored. */
async function afterLostLease(userId: string, provider: string): Promise<FreshAccessToken> {
  const connection = await readUsableConnection(userId, provider);
  const fresh = usableAccessToken(connection);
  if (fresh) return fresh;
  throw new RefreshUnavailableError(provider, "the refresh was taken over by another caller", 5);
}

async function saveRefreshed(connection: Connection, leaseId: string, tokens: RefreshedTokens, latencyMs: number): Promise<FreshAccessToken> {
  const { userId, provider, id } = connection;
  const written = [ACCESS_TOKEN];
  const expiresAt = tokens.expiresAt;
  const scopes = tokens.scopes?.length ? tokens.scopes : connection.scopes;
  const stored = await writeUnderLease(
    id,
    leaseId,
    {
      accessTokenExpiresAt: expiresAt,
      lastRefreshedAt: new Date(),
      refreshFailures: 0,
      nextRefreshAt: null,
      lastRefreshError: null,
      refreshFailingSince: null,
      scopes,
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    },
    async (tx) => {
      await writeTokenRow(tx, connection, ACCESS_TOKEN, tokens.accessToken);
      // Rotating providers return a new refresh token; the others keep the old one valid.
      if (tokens.refreshToken) {
        await writeTokenRow(tx, connection, REFRESH_TOKEN, tokens.refreshToken);
        written.push(REFRESH_TOKEN);
      }
      if (tokens.idToken) {
        await writeTokenRow(tx, connection, ID_TOKEN, tokens.idToken);
        written.push(ID_TOKEN);
      }
      await recordAuditEvent({ action: "provider_token.refreshed", actor: SYSTEM, subjectUserId: userId, provider, tokenNames: written, detail: { latencyMs } }, tx);
      // The first success after failed refreshes: the connection.recovered webhook.
      if (connection.refreshFailures > 0) await recordAuditEvent({ action: "connection.recovered", actor: SYSTEM, subjectUserId: userId, provider, detail: { failedRefreshes: connection.refreshFailures, failingSince: connection.refreshFailingSince?.toISOString() ?? null } }, tx);
    },
  );
  if (!stored) return afterLostLease(userId, provider);
  await clearProviderClientError(provider);
  return { accessToken: tokens.accessToken, expiresAt, scopes, refreshed: true };
}

/** The grant is dead: keep no dead tokens, remember why, and tell the user to reconnect. */
async function markDead(connection: Connection, leaseId: string, reason: string, latencyMs?: number): Promise<FreshAccessToken> {
  const { id, userId, provider } = connection;
  const names = connection.tokens.map((t) => t.name).sort();
  const stored = await writeUnderLease(
    id,
    leaseId,
    { status: "NEEDS_RECONNECT", reconnectReason: reason, reconnectRequiredAt: new Date(), accessTokenExpiresAt: null, nextRefreshAt: null, refreshFailures: 0 },
    async (tx) => {
      await tx.providerToken.deleteMany({ where: { connectionId: id } });
      await recordAuditEvent({ action: "provider_token.refresh_failed", actor: SYSTEM, subjectUserId: userId, provider, detail: { reason, retryable: false, latencyMs } }, tx);
      await recordAuditEvent({ action: "connection.reconnect_required", actor: SYSTEM, subjectUserId: userId, provider, tokenNames: names, detail: { reason } }, tx);
    },
  );
  if (!stored) return afterLostLease(userId, provider);
  throw new ReconnectRequiredError(provider, reason);
}

/** A retryable failure: tokens kept, the connection backs off so callers fail fast until nextRefreshAt. */
async function backOff(connection: Connection, leaseId: string, reason: string, retryAfterMs: number | null, options: { logPerUser: boolean; latencyMs: number }): Promise<FreshAccessToken> {
  const failures = connection.refreshFailures + 1;
  let delayMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 20));
  if (retryAfterMs !== null) delayMs = Math.max(delayMs, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
  const stored = await writeUnderLease(
    connection.id,
    leaseId,
    { refreshFailures: failures, nextRefreshAt: new Date(Date.now() + delayMs), lastRefreshError: reason, ...(connection.refreshFailingSince ? {} : { refreshFailingSince: new Date() }) },
    async (tx) => {
      await recordAuditEvent(
        { action: "provider_token.refresh_failed", actor: SYSTEM, subjectUserId: connection.userId, provider: connection.provider, detail: { reason, retryable: true, failures, latencyMs: options.latencyMs } },
        tx,
      );
    },
  );
  if (!stored) return afterLostLease(connection.userId, connection.provider);
  return unavailable(connection, reason, Math.ceil(delayMs / 1000), { logPerUser: options.logPerUser });
}

function unavailable(connection: Connection, reason: string, retryAfterSeconds: number, options = { logPerUser: true }): never {
  if (options.logPerUser) logger.warn({ userId: connection.userId, provider: connection.provider, reason }, "provider token refresh unavailable");
  throw new RefreshUnavailableError(connection.provider, reason, retryAfterSeconds);
}

async function readUsableConnection(userId: string, provider: string): Promise<Connection> {
  const connection = await getDb().providerConnection.findUnique({ where: { userId_provider: { userId, provider } }, include: { tokens: true } });
  return checkUsable(provider, connection);
}

function checkUsable<C extends { status: Connection["status"]; reconnectReason: string | null }>(provider: string, connection: C | null): C {
  // Revoke-all marked it: the tokens wait for the provider's revocation and are never handed out.
  if (!connection || connection.status === "REVOCATION_PENDING" || connection.status === "REVOCATION_FAILED") throw new NotConnectedError(provider);
  if (connection.status === "NEEDS_RECONNECT") throw new ReconnectRequiredError(provider, connection.reconnectReason ?? "the grant is no longer valid");
  return connection;
}

function usableAccessToken(connection: Connection, want: Want = { skewMs: REFRESH_SKEW_MS }): FreshAccessToken | null {
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

type TokenRow = { userId: string; provider: string; name: string; ciphertext: string };

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
function throwIfBackingOff(connection: Connection): void {
  const next = connection.nextRefreshAt?.getTime();
  if (next === undefined || next <= Date.now()) return;
  throw new RefreshUnavailableError(connection.provider, connection.lastRefreshError ?? "recent refreshes failed", Math.max(1, Math.ceil((next - Date.now()) / 1000)));
}
