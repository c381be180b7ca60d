import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { getMetrics } from "@/lib/metrics/metrics";
import { getProviderClient } from "@/lib/providers/catalog";
import { readUsableConnection, REFRESH_SKEW_MS, throwIfBackingOff, usableAccessToken, type FreshAccessToken, type Want } from "./connection-state";
import { RefreshUnavailableError } from "./errors";
import { PROVIDER_TIMEOUT_MS } from "./provider-http";
import { recordProviderClientError } from "./record-provider-client-error";
import { refreshAtProvider } from "./refresh-at-provider";
import { claimLease, releaseAfterCrash, releaseLease } from "./refresh-lease";
import { backOff, markDead, saveRefreshed, unavailable } from "./refresh-outcomes";
import { openToken } from "./token-cipher";
import { REFRESH_TOKEN } from "./token-names";

export { accessTokenFromSnapshot, REFRESH_SKEW_MS, type ConnectionSnapshot, type FreshAccessToken } from "./connection-state";
export { REFRESH_LEASE_MS } from "./refresh-lease";

/** How long a caller waits on someone else's lease: slightly more than one provider call. */
const LEASE_WAIT_MS = PROVIDER_TIMEOUT_MS + 2_000;
const POLL_MS = 50;

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

/**
 * A usable access token for the user at the provider, refreshed when it expires within 60 s.
 * Any number of concurrent callers, in any number of processes sharing the database, cause one
 * refresh at the provider, and no database connection or transaction is held while it runs.
 * Throws NotConnectedError, ReconnectRequiredError (grant is dead: the connection is marked and its
 * tokens deleted) or RefreshUnavailableError (retry later; tokens kept). Callers outside this folder
 * use obtainAccessToken (obtain-access-token.ts), which returns these as outcomes.
 */
export function getFreshAccessToken(userId: string, provider: string, options: FreshAccessTokenOptions = {}): Promise<FreshAccessToken> {
  const want: Want = { skewMs: options.refreshWithinMs ?? REFRESH_SKEW_MS, rejected: options.rejectedAccessToken };
  // A forced refresh never joins a plain read (which could hand back the rejected token), only other forced ones.
  const key = `${userId}\u0000${provider}\u0000${want.skewMs}${want.rejected ? "\u0000rejected" : ""}`;
  const joined = inFlight.get(key);
  if (!options.background) void recordConnectionUse(userId, provider);
  // `refreshed` says this call caused a provider call: a caller that joined another's promise did not (a
  // batch's report and an exchange's audit would otherwise count one refresh once per joiner).
  if (joined) return joined.then((token) => (token.refreshed ? { ...token, refreshed: false } : token));
  const pending = loadOrRefresh(userId, provider, want).finally(() => inFlight.delete(key));
  inFlight.set(key, pending);
  return pending;
}

/** lastUsedAt, written at most once an hour per connection (proactive refresh reads it in days). */
async function recordConnectionUse(userId: string, provider: string): Promise<void> {
  await getDb()
    .$executeRaw`UPDATE "ProviderConnection" SET "lastUsedAt" = now() WHERE "userId" = ${userId} AND provider = ${provider} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 hour')`.catch(
    () => {},
  );
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
    if (await claimLease(current.id, leaseId))
      return refreshUnderLease(userId, provider, leaseId, want).catch((error: unknown) => releaseAfterCrash(current.id, leaseId, error));
    leaseTakenBySomeoneElse = true;
    // Someone else (this or another process) is refreshing: wait for the token it stores.
    if (Date.now() > waitUntil) throw new RefreshUnavailableError(provider, "another refresh of this connection is taking too long", 5);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
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
  if (!refreshRow)
    return markDead(
      connection,
      leaseId,
      want.rejected ? "the provider refused the access token and gave no refresh token" : "the access token expired and the provider gave no refresh token",
    );
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
