import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { exchangeStateSql, storedTokenServed, toExchangeState, type ExchangeState, type StateRow } from "@/lib/provider-tokens/read-exchange-state";
import { ACCESS_TOKEN } from "@/lib/provider-tokens/token-names";
import { fixedWindowUpsert, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { usageTimes } from "./usage-times";

/*
 * A proxied call's one statement before the provider is asked (issue 26): the person's block of the service, their
 * connection and its stored access token (the exchange's state CTEs), the call counted against the client's
 * per-minute limit, and the call counted in the usage the person sees (its minute's row, and today's claim for the
 * first-of-the-day audit event). The usage is counted here only for a call the code will make with the stored token
 * as it is: within the limit, not blocked, the connection active and not expiring (storedTokenServed), and every
 * provider scope the allow-list names for the path granted. A call that passes all of them goes to the provider with
 * no further write unless it fails (then its minute's failedCalls, record-proxy-usage.ts). Any other call (refused,
 * or needing a refresh first) is counted once it is answered, as before. Before this, a successful call spent a third
 * statement after the provider answered: the usage count, which every caller awaited.
 */
const STATE = exchangeStateSql({
  userId: "$1::text",
  serviceClientId: "$2::text",
  provider: "$3::text",
  now: "$4::bigint",
  handoutId: "NULL::text",
  handoutIp: "NULL::text",
  handoutDetail: "NULL::jsonb",
  admitted: "true",
});

const PROXY_STATE_SQL = preparedStatement(
  "proxy_state",
  `
  WITH counted AS (
    INSERT INTO "RateLimit" (key, points, expire) VALUES ($5::text, 1, $6::bigint)
    ${fixedWindowUpsert("$4::bigint", "$6::bigint")}
  ), ${STATE.ctes}, served AS (
    SELECT 1 FROM block
    JOIN "ProviderConnection" c ON c."userId" = $1::text AND c.provider = $3::text
    JOIN "ProviderToken" t ON t."connectionId" = c.id AND t.name = '${ACCESS_TOKEN}'
    WHERE ${storedTokenServed("$4::bigint")}
      AND (SELECT points FROM counted) <= $7::int AND c.scopes @> $8::text[]
  ), first_today AS (
    INSERT INTO "ServiceProxyDay" ("serviceClientId", "userId", day)
    SELECT $2::text, $1::text, $9::date FROM served
    ON CONFLICT DO NOTHING RETURNING 1
  ), usage AS (
    INSERT INTO "ServiceProxyUsage" ("serviceClientId", "userId", provider, minute, calls, "failedCalls", "lastAt", "lastPurpose")
    SELECT $2::text, $1::text, $3::text, $10::timestamp, 1, 0, $11::timestamp, $12::text FROM served
    ON CONFLICT ("serviceClientId", "userId", provider, minute) DO UPDATE SET
      calls = "ServiceProxyUsage".calls + 1,
      "lastAt" = GREATEST("ServiceProxyUsage"."lastAt", EXCLUDED."lastAt"),
      "lastPurpose" = COALESCE(EXCLUDED."lastPurpose", "ServiceProxyUsage"."lastPurpose")
    RETURNING 1
  )
  SELECT ${STATE.columns}, (SELECT points FROM counted) AS points, (SELECT expire FROM counted) AS expire,
         (SELECT count(*) FROM usage)::int AS "usageCounted", (SELECT count(*) FROM first_today)::int AS "firstToday"
  FROM block
  ${STATE.joins}`,
);

export type ProxyStateInput = {
  userId: string;
  serviceClientId: string;
  provider: string;
  /** The client's per-minute limit: the RateLimit key, its window and its limit. */
  limit: { key: string; perMinute: number; windowSeconds: number };
  /** The provider scopes the allow-list names for this path: the usage is counted here only when all are granted. */
  neededScopes: readonly string[];
  purpose: string | null;
  /** The call's time (its usage minute and the rate-limit window). */
  now: Date;
};

export type ProxyState = {
  state: ExchangeState;
  /** The usage was counted by this statement (then `firstToday`: this was the day's first call of the service for the person). */
  usage: { firstToday: boolean } | null;
};

/** The proxied call's state, its rate-limit count and (when the stored token will serve it) its usage count, in one statement. */
export async function readProxyState(input: ProxyStateInput): Promise<ProxyState> {
  const nowMs = input.now.getTime();
  const times = usageTimes(input.now);
  const { rows } = await queryPrepared<StateRow & { points: number; expire: string; usageCounted: number; firstToday: number }>(PROXY_STATE_SQL, [
    input.userId,
    input.serviceClientId,
    input.provider,
    nowMs,
    input.limit.key,
    nowMs + input.limit.windowSeconds * 1000,
    input.limit.perMinute,
    [...input.neededScopes],
    times.day,
    times.minute,
    times.at,
    input.purpose,
  ]);
  const row = rows[0]!;
  const retryAfterSeconds = retryAfterFor({ points: row.points, expire: row.expire }, input.limit.perMinute, nowMs);
  return { state: toExchangeState(row, retryAfterSeconds), usage: row.usageCounted === 1 ? { firstToday: row.firstToday === 1 } : null };
}
