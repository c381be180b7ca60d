import { getPool } from "@/lib/db/client";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import type { ConnectionSnapshot } from "./connection-state";
import { ACCESS_TOKEN } from "./token-names";

// The person's block of this service at this provider, their connection and its stored access token:
// one read, one round trip (this runs on every exchange and proxied call). Plain SQL, unnamed
// statement. Expiry as epoch milliseconds: the column is UTC without a zone, and pg would read it in
// the process's zone. Unless blocked, the same statement records the connection's use (lastUsedAt, at
// most once an hour, as getFreshAccessToken does: proactive refresh reads it in days). When the caller
// passes a rate-limit key ($5), the same statement counts the call in its fixed window (issue 26: the
// proxy's call no longer spends a round trip of its own on the limit).
const STATE_SQL = `
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
  )
  SELECT block.blocked, (SELECT points FROM counted) AS points, (SELECT expire FROM counted) AS expire,
         c.id AS "connectionId", c.status, c."reconnectReason", c.scopes,
         (extract(epoch FROM c."accessTokenExpiresAt") * 1000)::float8 AS "expiresAtMs",
         t."userId" AS "tokenUserId", t.provider AS "tokenProvider", t.name AS "tokenName", t.ciphertext
  FROM block
  LEFT JOIN "ProviderConnection" c ON c."userId" = $1 AND c.provider = $3
  LEFT JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = $4`;

type StateRow = {
  blocked: boolean;
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

/** Whether the person blocked the service at the provider, and their connection there (null when none). Read by obtainAccessToken `for` a service. */
export async function readExchangeState(userId: string, serviceClientId: string, provider: string, count?: CountedCall): Promise<ExchangeState> {
  const now = Date.now();
  const { rows } = await getPool().query<StateRow>(STATE_SQL, [
    userId,
    serviceClientId,
    provider,
    ACCESS_TOKEN,
    count?.key ?? null,
    count ? now + count.windowSeconds * 1000 : null,
    now,
  ]);
  const row = rows[0]!;
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
