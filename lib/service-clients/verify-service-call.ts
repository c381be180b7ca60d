import { decideServiceToken, hashPresentedCredential, type CredentialFailure, type ServiceTokenRecord } from "@/lib/access-tokens/verify-credential";
import { SERVICE_TOKEN_COLUMNS, SERVICE_TOKEN_FROM, type CredentialRows } from "@/lib/access-tokens/credential-lookups";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { exchangeStateSql, toExchangeState, type ExchangeState, type StateRow } from "@/lib/provider-tokens/read-exchange-state";
import { consumeServiceRateLimit, RATE_LIMIT_KEY_PREFIX, RATE_LIMIT_WINDOW_SECONDS } from "@/lib/rate-limit/consume-client-rate-limit";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { allowsProxy } from "./permissions";

/** Whom and where a proxied call says it is for (the on-behalf-of header, the path's provider), before anything checks it. */
export type ServiceCallTarget = { userId: string; provider: string };

/**
 * What the service token's own statement read for the call: the call counted against the client's per-minute limit
 * (`retryAfterSeconds`: 0 within it), and the person's block, connection and stored access token at `target`'s
 * provider — null when the statement did not admit the token to read them (below).
 */
export type ServiceCallRead = { target: ServiceCallTarget | null; retryAfterSeconds: number; state: ExchangeState | null };

export type ServiceCallVerification = { ok: true; token: ServiceTokenRecord; call: ServiceCallRead } | CredentialFailure;

/*
 * Issue 26: a proxied call's whole steady state in the service token's own statement, as the token exchange does for its
 * client (authenticate-service-client.ts). Before, a proxied call spent one round trip on the token's lookup and another
 * on the person's state; the profile put the extra socket writes first among the proxy's costs.
 *
 * - `token`: verifyCredential's service lookup, the same columns (credential-lookups.ts), plus whether the row is live
 *   (not revoked, its client active, not expired at the caller's clock): decideServiceToken's own conditions.
 * - `counted`: a live token's call is counted against its client's limit. Every call of a live token is, whatever is
 *   refused after (a refused call spends the budget too, as before), so this is the call's one count.
 * - `gate`: the statement reads the person's state only for a live token within its limit whose client AND token both
 *   allow proxy:<provider> (allowsProxy, checked again in code). For any other token it reads no one's connection,
 *   token or block, and stamps no connection's use.
 * - The state CTEs are exchangeStateSql's (the block, the connection's use, the connection and its access token), with
 *   no handout event (the proxy writes none).
 *
 * The code decides: decideServiceToken on the same row, then the proxy's own checks; the statement only saves round
 * trips. A connection's use is stamped (at most hourly) for an admitted call that the proxy's allow-list then refuses:
 * the service holds proxy permission for that provider and the person has not blocked it.
 */
const STATE = exchangeStateSql({
  userId: "$5::text",
  serviceClientId: "(SELECT id FROM gate)",
  provider: "$6::text",
  now: "$2::bigint",
  handoutId: "NULL::text",
  handoutIp: "NULL::text",
  handoutDetail: "NULL::jsonb",
  admitted: "coalesce((SELECT admitted FROM gate), false)",
});
const allowsProxySql = (list: string) => `('proxy:*' = ANY (${list}) OR 'proxy:' || $6::text = ANY (${list}))`;
const VERIFY_AND_READ_SQL = preparedStatement(
  "verify_service_call",
  `
  WITH token AS (
    SELECT ${SERVICE_TOKEN_COLUMNS},
           t."revokedAt" IS NULL AND c.status = 'ACTIVE' AND extract(epoch FROM t."expiresAt") * 1000 > $2::bigint AS live
    ${SERVICE_TOKEN_FROM}
    WHERE t."tokenHash" = $1
  ), counted AS (
    INSERT INTO "RateLimit" (key, points, expire)
    SELECT $3::text || "serviceClientId", 1, $4::bigint FROM token WHERE live
    ${fixedWindowUpsert("$2::bigint", "$4::bigint")}
  ), gate AS (
    SELECT token."serviceClientId" AS id,
           token.live AND counted.points <= token."rateLimitPerMinute" AND $5::text IS NOT NULL AND $6::text IS NOT NULL
             AND ${allowsProxySql("token.permissions")} AND ${allowsProxySql("token.scopes")} AS admitted
    FROM token LEFT JOIN counted ON true
  ), ${STATE.ctes}
  SELECT token.id AS "tokenId", token.scopes AS "tokenScopes", token."tokenHash", token."createdAt", token."expiresAt", token."revokedAt",
         token."serviceClientId", token."clientId", token."clientName", token.permissions, token."rateLimitPerMinute", token."proxyAllow",
         token."clientStatus", counted.points, counted.expire, coalesce((SELECT admitted FROM gate), false) AS "stateRead", ${STATE.columns}
  FROM token LEFT JOIN counted ON true CROSS JOIN block
  ${STATE.joins}`,
);

// The state columns name the connection's scopes `scopes`: the token's own are selected as tokenScopes (and its id as
// tokenId), or one would overwrite the other in the row pg builds.
type Row = Omit<CredentialRows["service"], "id" | "scopes"> &
  StateRow & { tokenId: string; tokenScopes: string[]; points: number | null; expire: string | null; stateRead: boolean };

/** The one kind the door accepts. */
const SERVICE_KIND = ["service"] as const;

/**
 * The service door's check for a proxied call (withApi, `serviceCall`): verifyCredential's service branch (classify →
 * hash → lookup → constant-time compare → revoked / disabled / expired, decided by decideServiceToken), and in the same
 * statement the call counted and the person's state at `target` read. Nothing is cached: a revoked token is refused at
 * its next call in every instance.
 */
export async function verifyServiceCall(
  presented: string | null | undefined,
  target: ServiceCallTarget | null,
  now = new Date(),
): Promise<ServiceCallVerification> {
  const hashed = hashPresentedCredential(presented, SERVICE_KIND);
  if (!hashed.ok) return hashed;
  const nowMs = now.getTime();
  const { rows } = await queryPrepared<Row>(VERIFY_AND_READ_SQL, [
    hashed.tokenHash,
    nowMs,
    RATE_LIMIT_KEY_PREFIX,
    nowMs + RATE_LIMIT_WINDOW_SECONDS * 1000,
    target?.userId ?? null,
    target?.provider ?? null,
  ]);
  const row = rows[0];
  const decided = decideServiceToken(row && { ...row, id: row.tokenId, scopes: row.tokenScopes }, hashed.tokenHash, now);
  if (!decided.ok) return { ok: false, reason: decided.reason, kind: "service", checkedDatabase: true };
  const { token } = decided;
  const client = token.client;
  // The statement counts only a token it found live; should the two ever disagree at the expiry's millisecond, count apart.
  const retryAfterSeconds =
    row!.points === null || row!.expire === null
      ? await consumeServiceRateLimit(client.id, client.rateLimitPerMinute, nowMs)
      : retryAfterFor({ points: row!.points, expire: row!.expire }, client.rateLimitPerMinute, nowMs);
  const admitted =
    row!.stateRead &&
    retryAfterSeconds === 0 &&
    target !== null &&
    allowsProxy(client.permissions, target.provider) &&
    allowsProxy(token.scopes, target.provider);
  return { ok: true, token, call: { target, retryAfterSeconds, state: admitted ? toExchangeState(row!) : null } };
}
