import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import { getProviderClient } from "@/lib/providers/catalog";
import { NotConnectedError, ReconnectRequiredError, RefreshUnavailableError } from "./errors";
import { refreshAtProvider, type RefreshedTokens } from "./refresh-at-provider";
import { openToken, sealToken } from "./token-cipher";

/*
 * The ProviderTokenStore: the one way other modules read or write provider tokens (the analogue of
 * SimpleModule's IExternalProviderTokenStore). Values go in and out as plaintext here and are stored
 * only as AES-256-GCM ciphertext; nothing in this module logs or audits a value.
 */

export const ACCESS_TOKEN = "access_token";
export const REFRESH_TOKEN = "refresh_token";
export const ID_TOKEN = "id_token";

/** Refresh when the access token expires within this margin. */
export const REFRESH_SKEW_MS = 60_000;

type Tx = Prisma.TransactionClient;
const SYSTEM: AuditActor = { type: "system" };

export type FreshAccessToken = { accessToken: string; expiresAt: Date | null; scopes: string[]; refreshed: boolean };

async function ensureConnection(tx: Tx, userId: string, provider: string) {
  return tx.providerConnection.upsert({
    where: { userId_provider: { userId, provider } },
    create: { userId, provider },
    update: {},
  });
}

async function writeToken(tx: Tx, connectionId: string, userId: string, provider: string, name: string, value: string) {
  const sealed = sealToken(userId, provider, name, value);
  await tx.providerToken.upsert({
    where: { connectionId_name: { connectionId, name } },
    create: { connectionId, userId, provider, name, ...sealed },
    update: sealed,
  });
}

export async function setToken(userId: string, provider: string, name: string, value: string): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const connection = await ensureConnection(tx, userId, provider);
    await writeToken(tx, connection.id, userId, provider, name, value);
  });
}

export async function getToken(userId: string, provider: string, name: string): Promise<string | null> {
  const row = await getDb().providerToken.findFirst({ where: { userId, provider, name } });
  return row ? openToken(row) : null;
}

/** Deletes the user's stored tokens and connection record for one provider; returns the names removed. */
export async function removeTokens(userId: string, provider: string, actor: AuditActor = SYSTEM): Promise<string[]> {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.providerToken.findMany({ where: { userId, provider }, select: { name: true } });
    await tx.providerConnection.deleteMany({ where: { userId, provider } });
    const names = rows.map((r) => r.name).sort();
    if (names.length) await recordAuditEvent({ action: "provider_token.removed", actor, subjectUserId: userId, provider, tokenNames: names }, tx);
    return names;
  });
}

/** Token names per provider for one user; never values. */
export async function listTokenNames(userId: string): Promise<{ provider: string; names: string[] }[]> {
  const rows = await getDb().providerToken.findMany({ where: { userId }, select: { provider: true, name: true }, orderBy: [{ provider: "asc" }, { name: "asc" }] });
  const byProvider = new Map<string, string[]>();
  for (const row of rows) byProvider.set(row.provider, [...(byProvider.get(row.provider) ?? []), row.name]);
  return [...byProvider].map(([provider, names]) => ({ provider, names }));
}

export type SignInTokens = {
  accessToken?: string | null;
  refreshToken?: string | null;
  idToken?: string | null;
  expiresAt?: Date | null;
  scopes?: string[];
  tokenType?: string | null;
};

/**
 * Stores what a sign-in returned: replaces access and id tokens, and the refresh token only when a
 * new one came (Google omits it on repeat consent), marks the connection usable again.
 */
export async function storeSignInTokens(userId: string, provider: string, tokens: SignInTokens, actor: AuditActor = { type: "user", id: userId }): Promise<string[]> {
  const named: [string, string | null | undefined][] = [
    [ACCESS_TOKEN, tokens.accessToken],
    [REFRESH_TOKEN, tokens.refreshToken],
    [ID_TOKEN, tokens.idToken],
  ];
  const present = named.filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (!present.length) return [];
  return getDb().$transaction(async (tx) => {
    const connection = await ensureConnection(tx, userId, provider);
    for (const [name, value] of present) await writeToken(tx, connection.id, userId, provider, name, value);
    await tx.providerConnection.update({
      where: { id: connection.id },
      data: {
        status: "ACTIVE",
        reconnectReason: null,
        reconnectRequiredAt: null,
        accessTokenExpiresAt: tokens.expiresAt ?? null,
        ...(tokens.scopes?.length ? { scopes: tokens.scopes } : {}),
        ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
      },
    });
    const names = present.map(([name]) => name);
    await recordAuditEvent({ action: "provider_token.stored", actor, subjectUserId: userId, provider, tokenNames: names }, tx);
    return names;
  });
}

// Same-process callers share one promise; the row lock below serialises processes.
const inFlight = new Map<string, Promise<FreshAccessToken>>();

/**
 * A usable access token for the user at the provider, refreshed when it expires within 60 s.
 * Any number of concurrent callers, in any number of processes sharing the database, cause one
 * refresh at the provider. Throws NotConnectedError, ReconnectRequiredError (grant is dead: the
 * connection is marked and its tokens deleted) or RefreshUnavailableError (retry later; tokens kept).
 */
export function getFreshAccessToken(userId: string, provider: string): Promise<FreshAccessToken> {
  const key = `${userId}\u0000${provider}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = loadOrRefresh(userId, provider).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

type ConnectionWithTokens = Prisma.ProviderConnectionGetPayload<{ include: { tokens: true } }>;

function readConnection(db: Tx, userId: string, provider: string): Promise<ConnectionWithTokens | null> {
  return db.providerConnection.findUnique({ where: { userId_provider: { userId, provider } }, include: { tokens: true } });
}

function usableAccessToken(connection: ConnectionWithTokens, now: number): FreshAccessToken | null {
  const row = connection.tokens.find((t) => t.name === ACCESS_TOKEN);
  if (!row) return null;
  const expiresAt = connection.accessTokenExpiresAt;
  if (expiresAt && expiresAt.getTime() - REFRESH_SKEW_MS <= now) return null;
  return { accessToken: openToken(row), expiresAt, scopes: connection.scopes, refreshed: false };
}

function throwIfUnusable(connection: ConnectionWithTokens | null, provider: string): asserts connection is ConnectionWithTokens {
  // Revoke-all marked it: the tokens wait for the provider's revocation and are never handed out.
  if (!connection || connection.status === "REVOCATION_PENDING" || connection.status === "REVOCATION_FAILED") throw new NotConnectedError(provider);
  if (connection.status === "NEEDS_RECONNECT") throw new ReconnectRequiredError(provider, connection.reconnectReason ?? "the grant is no longer valid");
}

type Outcome = { kind: "token"; token: FreshAccessToken } | { kind: "dead"; reason: string } | { kind: "unavailable"; reason: string };

async function loadOrRefresh(userId: string, provider: string): Promise<FreshAccessToken> {
  const db = getDb();
  const current = await readConnection(db, userId, provider);
  throwIfUnusable(current, provider);
  const fresh = usableAccessToken(current, Date.now());
  if (fresh) return fresh;

  const outcome = await db.$transaction(
    async (tx): Promise<Outcome> => {
      await tx.$queryRaw`SELECT id FROM "ProviderConnection" WHERE id = ${current.id} FOR UPDATE`;
      // Re-read under the lock: another process may have refreshed while we waited.
      const locked = await readConnection(tx, userId, provider);
      throwIfUnusable(locked, provider);
      const already = usableAccessToken(locked, Date.now());
      if (already) return { kind: "token", token: already };

      const refreshRow = locked.tokens.find((t) => t.name === REFRESH_TOKEN);
      const client = getProviderClient(provider);
      if (!refreshRow) return markDead(tx, locked, "the access token expired and the provider gave no refresh token");
      if (!client) return { kind: "unavailable", reason: `${provider} is not configured on this server` };

      const result = await refreshAtProvider(client, openToken(refreshRow));
      if (!result.ok && result.kind === "invalid_grant") return markDead(tx, locked, result.reason);
      if (!result.ok) return { kind: "unavailable", reason: result.reason };
      return { kind: "token", token: await saveRefreshed(tx, locked, result.tokens) };
    },
    { maxWait: 60_000, timeout: 60_000 },
  );

  if (outcome.kind === "token") return outcome.token;
  if (outcome.kind === "dead") throw new ReconnectRequiredError(provider, outcome.reason);
  logger.warn({ userId, provider, reason: outcome.reason }, "provider token refresh unavailable");
  await recordAuditEvent({ action: "provider_token.refresh_failed", actor: SYSTEM, subjectUserId: userId, provider, detail: { reason: outcome.reason, retryable: true } });
  throw new RefreshUnavailableError(provider, outcome.reason);
}

async function saveRefreshed(tx: Tx, connection: ConnectionWithTokens, tokens: RefreshedTokens): Promise<FreshAccessToken> {
  const { userId, provider, id } = connection;
  const written = [ACCESS_TOKEN];
  await writeToken(tx, id, userId, provider, ACCESS_TOKEN, tokens.accessToken);
  // Rotating providers return a new refresh token; the others keep the old one valid.
  if (tokens.refreshToken) {
    await writeToken(tx, id, userId, provider, REFRESH_TOKEN, tokens.refreshToken);
    written.push(REFRESH_TOKEN);
  }
  if (tokens.idToken) {
    await writeToken(tx, id, userId, provider, ID_TOKEN, tokens.idToken);
    written.push(ID_TOKEN);
  }
  const updated = await tx.providerConnection.update({
    where: { id },
    data: {
      accessTokenExpiresAt: tokens.expiresAt,
      lastRefreshedAt: new Date(),
      ...(tokens.scopes?.length ? { scopes: tokens.scopes } : {}),
      ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
    },
  });
  await recordAuditEvent({ action: "provider_token.refreshed", actor: SYSTEM, subjectUserId: userId, provider, tokenNames: written }, tx);
  return { accessToken: tokens.accessToken, expiresAt: updated.accessTokenExpiresAt, scopes: updated.scopes, refreshed: true };
}

/** The grant is dead: keep no dead tokens, remember why, and tell the user to reconnect. */
async function markDead(tx: Tx, connection: ConnectionWithTokens, reason: string): Promise<Outcome> {
  const names = connection.tokens.map((t) => t.name).sort();
  await tx.providerToken.deleteMany({ where: { connectionId: connection.id } });
  await tx.providerConnection.update({
    where: { id: connection.id },
    data: { status: "NEEDS_RECONNECT", reconnectReason: reason, reconnectRequiredAt: new Date(), accessTokenExpiresAt: null },
  });
  await recordAuditEvent(
    { action: "provider_token.refresh_failed", actor: SYSTEM, subjectUserId: connection.userId, provider: connection.provider, detail: { reason, retryable: false } },
    tx,
  );
  await recordAuditEvent(
    { action: "connection.reconnect_required", actor: SYSTEM, subjectUserId: connection.userId, provider: connection.provider, tokenNames: names, detail: { reason } },
    tx,
  );
  return { kind: "dead", reason };
}
