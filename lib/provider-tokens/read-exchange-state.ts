import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import type { PreparedAuditEvent } from "@/lib/audit/record-audit-event";
import { REFRESH_SKEW_MS, type ConnectionSnapshot } from "./connection-state";
import { ACCESS_TOKEN } from "./token-names";

// The person's block of this service at this provider, their connection and its stored access token:
// one read, one round trip (this runs on every exchange and proxied call). Plain SQL, unnamed
// statement. Expiry as epoch milliseconds: the column is UTC without a zone, and pg would read it in
// the process's zone. Unless blocked, the same statement records the connection's use (lastUsedAt, at
// most once an hour, as getFreshAccessToken does: proactive refresh reads it in days). When the caller
// passes a rate-limit key ($5), the same statement counts the call in its fixed window (issue 26: the
// proxy's call no longer spends a round trip of its own on the limit). When the caller passes a prepared audit event
// ($8: the token exchange's success row), the same statement writes it if, and only if, the stored access token is
// what the caller will hand out: not blocked, the connection active, a stored access token that does not expire within
// REFRESH_SKEW_MS of the caller's clock ($7) — accessTokenFromSnapshot's own conditions. Issue 26: the exchange's
// audit row no longer costs a round trip of its own, and it is committed before the answer, as before.
const STATE_SQL = preparedStatement(
  "exchange_state",
  `
  WITH counted AS (
    INSERT INTO "RateLimit" (key, points, expire) SELECT $5::text, 1, $6::bigint WHERE $5::text IS NOT NULL
    ${fixedWindowUpsert("$7::bigint", "$6::bigint")}
  ), block AS (
    SELECT EXISTS (SELECT 1 FROM "ServiceBlock" WHERE "userId" = $1 AND "serviceClientId" = $2 AND provider = $3) AS blocked
  ), used AS (
    UPDATE "ProviderConnection" SET "lastUsedAt" = now()
    WHERE "userId" = $1 AND provider = $3 AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 hour')
      AND NOT (SELECT blocked FROM block)
    RETURNING 1
  ), handout AS (
    INSERT INTO "AuditEvent" (id, action, "actorType", "actorId", "subjectUserId", provider, "tokenNames", ip, detail, "createdAt")
    SELECT $8::text, 'service.token_exchanged', 'service', $2, $1, $3, ARRAY[$4::text], $9::text, $10::jsonb,
           to_timestamp($7::bigint / 1000.0) AT TIME ZONE 'UTC'
    FROM block
    JOIN "ProviderConnection" c ON c."userId" = $1 AND c.provider = $3
    JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = $4
    WHERE $8::text IS NOT NULL AND $5::text IS NULL AND NOT block.blocked AND c.status = 'ACTIVE'
      AND (c."accessTokenExpiresAt" IS NULL OR extract(epoch FROM c."accessTokenExpiresAt") * 1000 - ${REFRESH_SKEW_MS} > $7::bigint)
    RETURNING 1
  )
  SELECT block.blocked, (SELECT count(*) FROM handout)::int AS "handoutAudited", (SELECT points FROM counted) AS points, (SELECT expire FROM counted) AS expire,
         c.id AS "connectionId", c.status, c."reconnectReason", c.scopes,
         (extract(epoch FROM c."accessTokenExpiresAt") * 1000)::float8 AS "expiresAtMs",
         t."userId" AS "tokenUserId", t.provider AS "tokenProvider", t.name AS "tokenName", t.ciphertext
  FROM block
  LEFT JOIN "ProviderConnection" c ON c."userId" = $1 AND c.provider = $3
  LEFT JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = $4`,
);

type StateRow = {
  blocked: boolean;
  handoutAudited: number;
  points: number | null;
  expire: string | null;
  connectionId: string | null;
  status: ConnectionSnapshot["status"] | null;
  reconnectReason: string | null;
  scopes: string[] | null;
  expiresAtMs: number | null;
  tokenUserId: string | null;
  tokenProvider: string | null;
  tokenName: string | null;
  ciphertext: string | null;
};

/** A call to count against a per-minute limit in the same statement: the RateLimit key, and the limit. */
export type CountedCall = { key: string; perMinute: number; windowSeconds: number };

export type ExchangeState = {
  blocked: boolean;
  /** With a counted call: 0 within the limit, else the seconds until its window ends. */
  retryAfterSeconds: number;
  connection: ConnectionSnapshot | null;
};

/**
 * Whether the person blocked the service at the provider, and their connection there (null when none). Read by
 * obtainAccessToken `for` a service. `handout`: the token exchange's success event, written by this statement when
 * the stored access token will be handed out (then marked `written`); never together with a counted call.
 */
export async function readExchangeState(
  userId: string,
  /** null: no service (never blocked). */
  serviceClientId: string | null,
  provider: string,
  count?: CountedCall,
  handout?: PreparedAuditEvent,
): Promise<ExchangeState> {
  if (count && handout) throw new Error("readExchangeState: a counted call writes no handout event");
  const now = handout?.createdAtMs ?? Date.now();
  const { rows } = await queryPrepared<StateRow>(STATE_SQL, [
    userId,
    serviceClientId,
    provider,
    ACCESS_TOKEN,
    count?.key ?? null,
    count ? now + count.windowSeconds * 1000 : null,
    now,
    handout?.id ?? null,
    handout?.ip ?? null,
    handout?.detail ?? null,
  ]);
  const row = rows[0]!;
  if (handout && row.handoutAudited === 1) handout.written = true;
  const retryAfterSeconds = count && row.points !== null ? retryAfterFor({ points: row.points, expire: row.expire! }, count.perMinute, now) : 0;
  if (row.connectionId === null || row.status === null) return { blocked: row.blocked, retryAfterSeconds, connection: null };
  return {
    blocked: row.blocked,
    retryAfterSeconds,
    connection: {
      status: row.status,
      reconnectReason: row.reconnectReason,
      scopes: row.scopes ?? [],
      accessTokenExpiresAt: row.expiresAtMs === null ? null : new Date(row.expiresAtMs),
      accessToken:
        row.ciphertext === null ? null : { userId: row.tokenUserId!, provider: row.tokenProvider!, name: row.tokenName!, ciphertext: row.ciphertext },
    },
  };
}
