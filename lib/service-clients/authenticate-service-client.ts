import { digestsEqual } from "@/lib/crypto";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { consumeServiceRateLimit, RATE_LIMIT_KEY_PREFIX, RATE_LIMIT_WINDOW_SECONDS } from "../rate-limit/consume-client-rate-limit";
import type { PreparedAuditEvent } from "@/lib/audit/record-audit-event";
import { exchangeStateSql, toExchangeState, type ExchangeState, type StateRow } from "@/lib/provider-tokens/read-exchange-state";
import { allowsProvider } from "./permissions";
import { hashServiceSecret, isClientSecret } from "./service-secrets";

export type AuthenticatedServiceClient = { id: string; clientId: string; name: string; permissions: string[]; rateLimitPerMinute: number };

/** lastUsedAt is written at most once a minute per client: it is shown in minutes, and this runs on every call. */
const LAST_USED_RESOLUTION_SECONDS = 60;

// $3 is "now" in epoch milliseconds; the timestamp columns hold UTC without a zone.
const NOW = `(to_timestamp($3::bigint / 1000.0) AT TIME ZONE 'UTC')`;

/*
 * One round trip for what every token request needs: the lookup by client id, and — only when the
 * presented secret's HMAC matches an active client's current or overlapping previous secret, and the
 * caller asks ($4) — one call counted against its per-minute limit in the shared "RateLimit" table,
 * plus the lastUsedAt stamp when due. A wrong secret counts nothing. The hash equality in SQL only
 * gates those writes (HMAC outputs, like the PAT lookup by hash); the answer is decided below, in
 * constant time. Prepared, on the shared pool (lib/db/prepared-query.ts).
 */
const CLIENT_CTES = `
  client AS (
    SELECT id, "clientId", name, permissions, status, "secretHash", "previousSecretHash", "previousSecretExpiresAt", "rateLimitPerMinute", "lastUsedAt",
           status = 'ACTIVE' AND ("secretHash" = $2 OR ("previousSecretHash" = $2 AND "previousSecretExpiresAt" > ${NOW})) AS matched
    FROM "ServiceClient" WHERE "clientId" = $1
  ), counted AS (
    INSERT INTO "RateLimit" (key, points, expire)
    SELECT $5::text || id, 1, $6::bigint FROM client WHERE matched AND $4::boolean
    ${fixedWindowUpsert("$3::bigint", "$6::bigint")}
  ), touched AS (
    UPDATE "ServiceClient" s SET "lastUsedAt" = ${NOW}, "updatedAt" = ${NOW}
    FROM client
    WHERE s.id = client.id AND client.matched
      AND (client."lastUsedAt" IS NULL OR client."lastUsedAt" < ${NOW} - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
    RETURNING 1
  )`;

const AUTHENTICATE_SQL = preparedStatement(
  "authenticate_service",
  `WITH ${CLIENT_CTES}
  SELECT client.*, counted.points, counted.expire FROM client LEFT JOIN counted ON true`,
);

/*
 * Issue 26: the token exchange's whole steady state in this one statement. For a client the statement itself
 * admits (active, its current secret matched, its call within its limit, a permission to read this provider's
 * tokens: checks the code below and exchangeForProviderToken make too, and they decide; a previous secret in its
 * overlap is left to the exchange's own read, so the statement never admits a client the code refuses), it goes on
 * to read what readExchangeState reads — the person's block of this client, the connection, its stored access
 * token — and to write the exchange's success audit row under the same conditions (exchangeStateSql). For any
 * other client it reads no one's connection or token.
 * Should the code ever decide otherwise than the statement did, the exchange rewrites that audit row, as it does for
 * a refresh; the answer never rests on the statement's own checks.
 */
const STATE_FOR_CLIENT = exchangeStateSql({
  userId: "$7::text",
  serviceClientId: "(SELECT id FROM gate)",
  provider: "$9::text",
  now: "$3::bigint",
  handoutId: "$10::text",
  handoutIp: "$11::text",
  handoutDetail: "($12::jsonb || jsonb_build_object('serviceName', (SELECT name FROM gate)))",
  admitted: "coalesce((SELECT admitted FROM gate), false)",
});
const AUTHENTICATE_AND_READ_SQL = preparedStatement(
  "authenticate_service_exchange",
  `WITH ${CLIENT_CTES}, gate AS (
    SELECT client.id, client.name,
           client.status = 'ACTIVE' AND client."secretHash" = $2 AND counted.points IS NOT NULL AND counted.points <= client."rateLimitPerMinute"
             AND ('credentials:*:read' = ANY (client.permissions) OR $8::text = ANY (client.permissions)) AS admitted
    FROM client LEFT JOIN counted ON true
  ), ${STATE_FOR_CLIENT.ctes}
  SELECT client.*, counted.points, counted.expire, coalesce((SELECT admitted FROM gate), false) AS "connectionRead", ${STATE_FOR_CLIENT.columns}
  FROM client LEFT JOIN counted ON true CROSS JOIN block
  ${STATE_FOR_CLIENT.joins}`,
);

type ClientRow = {
  id: string;
  clientId: string;
  name: string;
  permissions: string[];
  status: "ACTIVE" | "DISABLED";
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  rateLimitPerMinute: number;
  points: number | null;
  expire: string | null;
};

type Counted = { client: AuthenticatedServiceClient; retryAfterSeconds: number };

/**
 * What the token exchange reads once its client is known, in the client's own statement (issue 26): a person named
 * by id, a catalogue provider, and the exchange's success event (without the service's name, which the statement
 * adds), written there when the stored access token will be handed out (marked `written`).
 */
export type ExchangeTarget = { userId: string; provider: string; handout: PreparedAuditEvent };
/** The exchange's state as that statement read it; null when the statement did not admit the client to read it. */
export type PrefetchedExchange = { target: ExchangeTarget; state: ExchangeState | null };

/**
 * Checks a client id and secret, top to bottom: checksum (junk ends here, no query) → one lookup by
 * client id → active → constant-time compare with the current secret, or with the previous one while
 * its overlap lasts. Every failure is the same `null` (the caller answers invalid_client). Nothing is
 * cached: a disabled or deleted client, or a rotated-out secret, is refused at its next use.
 */
export async function authenticateServiceClient(clientId: string, secret: string, now = new Date()): Promise<AuthenticatedServiceClient | null> {
  return (await authenticate(clientId, secret, now, false))?.counted.client ?? null;
}

/**
 * The same check and, for an authenticated client, one call counted against its per-minute limit in
 * the same statement: `retryAfterSeconds` is 0 within the limit, else the seconds until its window ends.
 */
export async function authenticateAndCountServiceClient(clientId: string, secret: string, now = new Date()): Promise<Counted | null> {
  return (await authenticate(clientId, secret, now, true))?.counted ?? null;
}

/** authenticateAndCountServiceClient, and in the same statement the token exchange's read of `target` (above). */
export async function authenticateCountAndReadExchange(
  clientId: string,
  secret: string,
  target: ExchangeTarget,
): Promise<(Counted & { exchange: PrefetchedExchange }) | null> {
  const authenticated = await authenticate(clientId, secret, new Date(target.handout.createdAtMs), true, target);
  if (!authenticated) return null;
  const { counted } = authenticated;
  const row = authenticated.row as ClientRow & StateColumns;
  // Marks the success event written when the statement wrote it, whatever is decided here: the exchange then records
  // any other outcome over it.
  const state = toExchangeState(row, target.handout);
  const admitted = row.connectionRead && counted.retryAfterSeconds === 0 && allowsProvider(counted.client.permissions, target.provider);
  return { ...counted, exchange: { target, state: admitted ? state : null } };
}

type StateColumns = StateRow & { connectionRead: boolean };

async function authenticate(
  clientId: string,
  secret: string,
  now: Date,
  count: boolean,
  target?: ExchangeTarget,
): Promise<{ counted: Counted; row: ClientRow } | null> {
  if (!isClientSecret(secret) || clientId.length > 100) return null;
  const presented = hashServiceSecret(secret);
  const nowMs = now.getTime();
  const common = [clientId, presented, nowMs, count, RATE_LIMIT_KEY_PREFIX, nowMs + RATE_LIMIT_WINDOW_SECONDS * 1000];
  const { rows } = target
    ? await queryPrepared<ClientRow & StateColumns>(AUTHENTICATE_AND_READ_SQL, [
        ...common,
        target.userId,
        `credentials:${target.provider}:read`,
        target.provider,
        target.handout.id,
        target.handout.ip,
        target.handout.detail,
      ])
    : await queryPrepared<ClientRow>(AUTHENTICATE_SQL, common);
  const row = rows[0];
  const accepted =
    row !== undefined &&
    row.status === "ACTIVE" &&
    (digestsEqual(presented, row.secretHash) ||
      (row.previousSecretHash !== null &&
        row.previousSecretExpiresAt !== null &&
        row.previousSecretExpiresAt.getTime() > nowMs &&
        digestsEqual(presented, row.previousSecretHash)));
  // The statement admits only a client this code accepts (an active client's current secret); a success event for a
  // refused client would be a lie in the trail, so that is an error, never an answer.
  if (!accepted && target && row && (row as Partial<StateColumns>).handoutAudited === 1)
    throw new Error("authenticateCountAndReadExchange: the statement admitted a client the code refuses");
  if (!row || !accepted) return null;
  const client = { id: row.id, clientId: row.clientId, name: row.name, permissions: row.permissions, rateLimitPerMinute: row.rateLimitPerMinute };
  if (!count) return { counted: { client, retryAfterSeconds: 0 }, row };
  // The statement counts only when its own match agreed; should the two ever disagree, count apart.
  const retryAfterSeconds =
    row.points === null || row.expire === null
      ? await consumeServiceRateLimit(client.id, client.rateLimitPerMinute, nowMs)
      : retryAfterFor({ points: row.points, expire: row.expire }, row.rateLimitPerMinute, nowMs);
  return { counted: { client, retryAfterSeconds }, row };
}
