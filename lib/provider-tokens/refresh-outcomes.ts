import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { logger } from "@/lib/log/logger";
import { readUsableConnection, usableAccessToken, type Connection, type FreshAccessToken } from "./connection-state";
import { ReconnectRequiredError, RefreshUnavailableError } from "./errors";
import { needsReconnect } from "./mark-needs-reconnect";
import { clearProviderClientError } from "./record-provider-client-error";
import type { RefreshedTokens } from "./refresh-at-provider";
import { writeUnderLease } from "./refresh-lease";
import { ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN } from "./token-names";
import { writeTokenRow } from "./token-rows";

/**
 * What a refresh under the lease ends in: saved, needs reconnect (the grant is dead) or back off (retry
 * later). Each writes under the lease (refresh-lease.ts); a lost lease keeps what the winner stored.
 */

/** Backoff after consecutive failures: 5 s, 10 s, 20 s … capped at 5 min; a provider's Retry-After up to 1 h. */
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 5 * 60_000;
const RETRY_AFTER_CAP_MS = 60 * 60_000;

const SYSTEM: AuditActor = { type: "system" };

/** The lease was lost (we stalled past it, or the connection was removed): keep what the winner stored. */
async function afterLostLease(userId: string, provider: string): Promise<FreshAccessToken> {
  const connection = await readUsableConnection(userId, provider);
  const fresh = usableAccessToken(connection);
  if (fresh) return fresh;
  throw new RefreshUnavailableError(provider, "the refresh was taken over by another caller", 5);
}

export async function saveRefreshed(connection: Connection, leaseId: string, tokens: RefreshedTokens, latencyMs: number): Promise<FreshAccessToken> {
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
      await recordAuditEvent(
        { action: "provider_token.refreshed", actor: SYSTEM, subjectUserId: userId, provider, tokenNames: written, detail: { latencyMs } },
        tx,
      );
      // The first success after failed refreshes: the connection.recovered webhook.
      if (connection.refreshFailures > 0)
        await recordAuditEvent(
          {
            action: "connection.recovered",
            actor: SYSTEM,
            subjectUserId: userId,
            provider,
            detail: { failedRefreshes: connection.refreshFailures, failingSince: connection.refreshFailingSince?.toISOString() ?? null },
          },
          tx,
        );
    },
  );
  if (!stored) return afterLostLease(userId, provider);
  await clearProviderClientError(provider);
  return { accessToken: tokens.accessToken, expiresAt, scopes, refreshed: true };
}

/** The grant is dead: the needs-reconnect transition (mark-needs-reconnect.ts), under the lease, and tell the caller. */
export async function markDead(connection: Connection, leaseId: string, reason: string, latencyMs?: number): Promise<FreshAccessToken> {
  const { id, userId, provider } = connection;
  const transition = needsReconnect({ id, userId, provider, tokenNames: connection.tokens.map((t) => t.name) }, reason);
  const stored = await writeUnderLease(id, leaseId, transition.data, async (tx) => {
    await recordAuditEvent(
      { action: "provider_token.refresh_failed", actor: SYSTEM, subjectUserId: userId, provider, detail: { reason, retryable: false, latencyMs } },
      tx,
    );
    await transition.apply(tx);
  });
  if (!stored) return afterLostLease(userId, provider);
  throw new ReconnectRequiredError(provider, reason);
}

/** A retryable failure: tokens kept, the connection backs off so callers fail fast until nextRefreshAt. */
export async function backOff(
  connection: Connection,
  leaseId: string,
  reason: string,
  retryAfterMs: number | null,
  options: { logPerUser: boolean; latencyMs: number },
): Promise<FreshAccessToken> {
  const failures = connection.refreshFailures + 1;
  let delayMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 20));
  if (retryAfterMs !== null) delayMs = Math.max(delayMs, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
  const stored = await writeUnderLease(
    connection.id,
    leaseId,
    {
      refreshFailures: failures,
      nextRefreshAt: new Date(Date.now() + delayMs),
      lastRefreshError: reason,
      ...(connection.refreshFailingSince ? {} : { refreshFailingSince: new Date() }),
    },
    async (tx) => {
      await recordAuditEvent(
        {
          action: "provider_token.refresh_failed",
          actor: SYSTEM,
          subjectUserId: connection.userId,
          provider: connection.provider,
          detail: { reason, retryable: true, failures, latencyMs: options.latencyMs },
        },
        tx,
      );
    },
  );
  if (!stored) return afterLostLease(connection.userId, connection.provider);
  return unavailable(connection, reason, Math.ceil(delayMs / 1000), { logPerUser: options.logPerUser });
}

/** Retry later (tokens kept): throws RefreshUnavailableError, logged per user unless the fault is Tessera's client. */
export function unavailable(connection: Connection, reason: string, retryAfterSeconds: number, options = { logPerUser: true }): never {
  if (options.logPerUser) logger.warn({ userId: connection.userId, provider: connection.provider, reason }, "provider token refresh unavailable");
  throw new RefreshUnavailableError(connection.provider, reason, retryAfterSeconds);
}
