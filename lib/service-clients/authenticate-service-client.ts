import { constantTimeEqual } from "@/lib/crypto";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { consumeServiceRateLimit, RATE_LIMIT_KEY_PREFIX, RATE_LIMIT_WINDOW_SECONDS } from "../rate-limit/consume-client-rate-limit";
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
 * constant time. Plain SQL on the shared pool, unnamed (the embedded database shares named statements).
 */
const AUTHENTICATE_SQL = preparedStatement(
  "authenticate_service",
  `
  WITH client AS (
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
  )
  SELECT client.*, counted.points, counted.expire FROM client LEFT JOIN counted ON true`,
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
 * Checks a client id and secret, top to bottom: checksum (junk ends here, no query) → one lookup by
 * client id → active → constant-time compare with the current secret, or with the previous one while
 * its overlap lasts. Every failure is the same `null` (the caller answers invalid_client). Nothing is
 * cached: a disabled or deleted client, or a rotated-out secret, is refused at its next use.
 */
export async function authenticateServiceClient(clientId: string, secret: string, now = new Date()): Promise<AuthenticatedServiceClient | null> {
  return (await authenticate(clientId, secret, now, false))?.client ?? null;
}

/**
 * The same check and, for an authenticated client, one call counted against its per-minute limit in
 * the same statement: `retryAfterSeconds` is 0 within the limit, else the seconds until its window ends.
 */
export async function authenticateAndCountServiceClient(clientId: string, secret: string, now = new Date()): Promise<Counted | null> {
  return authenticate(clientId, secret, now, true);
}

async function authenticate(clientId: string, secret: string, now: Date, count: boolean): Promise<Counted | null> {
  if (!isClientSecret(secret) || clientId.length > 100) return null;
  const presented = hashServiceSecret(secret);
  const nowMs = now.getTime();
  const { rows } = await queryPrepared<ClientRow>(AUTHENTICATE_SQL, [
    clientId,
    presented,
    nowMs,
    count,
    RATE_LIMIT_KEY_PREFIX,
    nowMs + RATE_LIMIT_WINDOW_SECONDS * 1000,
  ]);
  const row = rows[0];
  if (!row || row.status !== "ACTIVE") return null;
  const current = constantTimeEqual(presented, row.secretHash);
  const previous =
    row.previousSecretHash !== null &&
    row.previousSecretExpiresAt !== null &&
    row.previousSecretExpiresAt.getTime() > nowMs &&
    constantTimeEqual(presented, row.previousSecretHash);
  if (!current && !previous) return null;
  const client = { id: row.id, clientId: row.clientId, name: row.name, permissions: row.permissions, rateLimitPerMinute: row.rateLimitPerMinute };
  if (!count) return { client, retryAfterSeconds: 0 };
  // The statement counts only when its own match agreed; should the two ever disagree, count apart.
  if (row.points === null || row.expire === null)
    return { client, retryAfterSeconds: await consumeServiceRateLimit(client.id, client.rateLimitPerMinute, nowMs) };
  return { client, retryAfterSeconds: retryAfterFor({ points: row.points, expire: row.expire }, row.rateLimitPerMinute, nowMs) };
}
