import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import type { PreparedAuditEvent } from "@/lib/audit/record-audit-event";
import { REFRESH_SKEW_MS, type ConnectionSnapshot } from "./connection-state";
import { ACCESS_TOKEN } from "./token-names";

// The person's block of this service at this provider, their connection and its stored access token:
// one read, one round trip (this runs on every exchange and proxied call). Prepared (lib/db/prepared-query.ts).
// Expiry as epoch milliseconds: the column is UTC without a zone, and pg would read it in the process's zone.
// Unless blocked, the same statement records the connection's use (lastUsedAt, at most once an hour, as
// getFreshAccessToken does: proactive refresh reads it in days). When the caller passes a prepared audit event (the
// token exchange's success row), the same statement writes it if, and only if, the stored access token is what the
// caller will hand out: not blocked, the connection active, a stored access token that does not expire within
// REFRESH_SKEW_MS of the caller's clock — accessTokenFromSnapshot's own conditions. Issue 26: the exchange's audit
// row costs no round trip of its own, and it is committed before the answer, as before. The token exchange's client
// statement and the proxy's service token statement (verify-service-call.ts) run these CTEs inside their own.

/** SQL expressions for what the state CTEs read: parameters of the statement they are part of, or its own CTEs. */
export type StateSqlInputs = {
  userId: string;
  serviceClientId: string;
  provider: string;
  /** The caller's clock, epoch ms (bigint). */
  now: string;
  /** The handout event's id, or NULL: no event. */
  handoutId: string;
  handoutIp: string;
  /** jsonb */
  handoutDetail: string;
  /** false: read nothing and write nothing (a client that did not authenticate, in the token endpoint's statement). */
  admitted: string;
};

/**
 * The block / used / handout CTEs (to follow a WITH list's other CTEs), the select list, and the joins after `FROM block`.
 * The select list's names differ from the client row's (the token endpoint selects both in one row: a second `status`
 * would overwrite the client's).
 */
export function exchangeStateSql(i: StateSqlInputs): { ctes: string; columns: string; joins: string } {
  const connection = `c."userId" = ${i.userId} AND c.provider = ${i.provider} AND ${i.admitted}`;
  return {
    ctes: `
  block AS (
    SELECT ${i.admitted} AND EXISTS (SELECT 1 FROM "ServiceBlock" WHERE "userId" = ${i.userId} AND "serviceClientId" = ${i.serviceClientId} AND provider = ${i.provider}) AS blocked
  ), used AS (
    UPDATE "ProviderConnection" SET "lastUsedAt" = now()
    WHERE "userId" = ${i.userId} AND provider = ${i.provider} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < now() - interval '1 hour')
      AND ${i.admitted} AND NOT (SELECT blocked FROM block)
    RETURNING 1
  ), handout AS (
    INSERT INTO "AuditEvent" (id, action, "actorType", "actorId", "subjectUserId", provider, "tokenNames", ip, detail, "createdAt")
    SELECT ${i.handoutId}, 'service.token_exchanged', 'service', ${i.serviceClientId}, ${i.userId}, ${i.provider}, ARRAY['${ACCESS_TOKEN}'], ${i.handoutIp},
           ${i.handoutDetail}, to_timestamp(${i.now} / 1000.0) AT TIME ZONE 'UTC'
    FROM block
    JOIN "ProviderConnection" c ON ${connection}
    JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = '${ACCESS_TOKEN}'
    WHERE ${i.handoutId} IS NOT NULL AND NOT block.blocked AND c.status = 'ACTIVE'
      AND (c."accessTokenExpiresAt" IS NULL OR extract(epoch FROM c."accessTokenExpiresAt") * 1000 - ${REFRESH_SKEW_MS} > ${i.now})
    RETURNING 1
  )`,
    columns: `block.blocked, (SELECT count(*) FROM handout)::int AS "handoutAudited",
         c.id AS "connectionId", c.status AS "connectionStatus", c."reconnectReason", c.scopes,
         (extract(epoch FROM c."accessTokenExpiresAt") * 1000)::float8 AS "expiresAtMs",
         t."userId" AS "tokenUserId", t.provider AS "tokenProvider", t.name AS "tokenName", t.ciphertext`,
    joins: `LEFT JOIN "ProviderConnection" c ON ${connection}
  LEFT JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = '${ACCESS_TOKEN}'`,
  };
}

const STATE = exchangeStateSql({
  userId: "$1::text",
  serviceClientId: "$2::text",
  provider: "$3::text",
  now: "$4::bigint",
  handoutId: "$5::text",
  handoutIp: "$6::text",
  handoutDetail: "$7::jsonb",
  admitted: "true",
});
const STATE_SQL = preparedStatement(
  "exchange_state",
  `
  WITH ${STATE.ctes}
  SELECT ${STATE.columns}
  FROM block
  ${STATE.joins}`,
);

/** The state columns of exchangeStateSql, as pg returns them. */
export type StateRow = {
  blocked: boolean;
  handoutAudited: number;
  connectionId: string | null;
  connectionStatus: ConnectionSnapshot["status"] | null;
  reconnectReason: string | null;
  scopes: string[] | null;
  expiresAtMs: number | null;
  tokenUserId: string | null;
  tokenProvider: string | null;
  tokenName: string | null;
  ciphertext: string | null;
};

export type ExchangeState = {
  blocked: boolean;
  connection: ConnectionSnapshot | null;
};

/**
 * Whether the person blocked the service at the provider, and their connection there (null when none). Read by
 * obtainAccessToken `for` a service. `handout`: the token exchange's success event, written by this statement when
 * the stored access token will be handed out (then marked `written`).
 */
export async function readExchangeState(
  userId: string,
  /** null: no service (never blocked). */
  serviceClientId: string | null,
  provider: string,
  handout?: PreparedAuditEvent,
): Promise<ExchangeState> {
  const now = handout?.createdAtMs ?? Date.now();
  const { rows } = await queryPrepared<StateRow>(STATE_SQL, [
    userId,
    serviceClientId,
    provider,
    now,
    handout?.id ?? null,
    handout?.ip ?? null,
    handout?.detail ?? null,
  ]);
  return toExchangeState(rows[0]!, handout);
}

/** The state the columns of exchangeStateSql describe; marks `handout` written when the statement wrote it. */
export function toExchangeState(row: StateRow, handout?: PreparedAuditEvent): ExchangeState {
  if (handout && row.handoutAudited === 1) handout.written = true;
  if (row.connectionId === null || row.connectionStatus === null) return { blocked: row.blocked, connection: null };
  return {
    blocked: row.blocked,
    connection: {
      status: row.connectionStatus,
      reconnectReason: row.reconnectReason,
      scopes: row.scopes ?? [],
      accessTokenExpiresAt: row.expiresAtMs === null ? null : new Date(row.expiresAtMs),
      accessToken:
        row.ciphertext === null ? null : { userId: row.tokenUserId!, provider: row.tokenProvider!, name: row.tokenName!, ciphertext: row.ciphertext },
    },
  };
}
