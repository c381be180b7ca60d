import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { createGroupCommit } from "@/lib/db/group-commit";

/*
 * Proxied calls are counted in batches (lib/db/group-commit.ts): calls that finish together share one
 * statement, which adds each call to its minute's row for service × person × provider and claims today's
 * row for service × person. Both inserts are atomic across instances, so exactly one call per service ×
 * person × day learns it was the first (the first of the batch, when the claim is new); that one is also
 * written as a full audit event. Each caller waits for its batch's commit, as it waited for its own statement.
 */
const RECORD_SQL = preparedStatement(
  "record_proxy_usage",
  `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      i int, "serviceClientId" text, "userId" text, day date, provider text, minute timestamp, failed int, at timestamp, purpose text
    )
  ), first_today AS (
    INSERT INTO "ServiceProxyDay" ("serviceClientId", "userId", day)
    SELECT DISTINCT "serviceClientId", "userId", day FROM input
    ON CONFLICT DO NOTHING RETURNING "serviceClientId", "userId", day
  ), counted AS (
    INSERT INTO "ServiceProxyUsage" ("serviceClientId", "userId", provider, minute, calls, "failedCalls", "lastAt", "lastPurpose")
    SELECT "serviceClientId", "userId", provider, minute, count(*), sum(failed), max(at),
           (array_agg(purpose ORDER BY i DESC) FILTER (WHERE purpose IS NOT NULL))[1]
    FROM input GROUP BY "serviceClientId", "userId", provider, minute
    ON CONFLICT ("serviceClientId", "userId", provider, minute) DO UPDATE SET
      calls = "ServiceProxyUsage".calls + EXCLUDED.calls,
      "failedCalls" = "ServiceProxyUsage"."failedCalls" + EXCLUDED."failedCalls",
      "lastAt" = GREATEST("ServiceProxyUsage"."lastAt", EXCLUDED."lastAt"),
      "lastPurpose" = COALESCE(EXCLUDED."lastPurpose", "ServiceProxyUsage"."lastPurpose")
    RETURNING 1
  )
  SELECT min(input.i) AS first FROM first_today
  JOIN input USING ("serviceClientId", "userId", day)
  GROUP BY first_today."serviceClientId", first_today."userId", first_today.day`,
);

type UsageRow = {
  i: number;
  serviceClientId: string;
  userId: string;
  day: string;
  provider: string;
  minute: string;
  failed: number;
  at: string;
  purpose: string | null;
};

const holder = globalThis as unknown as { tesseraProxyUsage?: (row: Omit<UsageRow, "i">) => Promise<boolean> };
/** One per process (on globalThis: Next may load this module twice). Resolves true for the day's first call. */
function countCall(row: Omit<UsageRow, "i">): Promise<boolean> {
  holder.tesseraProxyUsage ??= createGroupCommit<Omit<UsageRow, "i">, boolean>(async (rows) => {
    const { rows: firsts } = await queryPrepared<{ first: number }>(RECORD_SQL, [JSON.stringify(rows.map((row, i) => ({ ...row, i })))]);
    const first = new Set(firsts.map((row) => row.first));
    return rows.map((_, i) => first.has(i));
  });
  return holder.tesseraProxyUsage(row);
}

export type ProxyUsage = {
  service: { id: string; clientId: string; name: string };
  userId: string;
  provider: string;
  purpose: string | null;
  method: string;
  path: string;
  /** The provider's status, or null when it never answered (timeout, unreachable, too large). */
  status: number | null;
  ip: string | null;
};

/** Counts one proxied call; the first of the day for this service and person is also an audit event. Never a token. */
export async function recordProxyUsage(usage: ProxyUsage, now = new Date()): Promise<void> {
  // The columns are `timestamp` (UTC, as Prisma writes them): ISO strings, whose offset PostgreSQL then ignores.
  const iso = now.toISOString();
  const minute = `${iso.slice(0, 16)}:00.000`;
  const failed = usage.status === null || usage.status >= 400 ? 1 : 0;
  const first = await countCall({
    serviceClientId: usage.service.id,
    userId: usage.userId,
    day: iso.slice(0, 10),
    provider: usage.provider,
    minute,
    failed,
    at: iso.slice(0, 23),
    purpose: usage.purpose,
  });
  if (!first) return;
  await recordAuditEvent({
    action: "service.proxy_used",
    actor: { type: "service", id: usage.service.id },
    subjectUserId: usage.userId,
    provider: usage.provider,
    ip: usage.ip,
    detail: {
      clientId: usage.service.clientId,
      serviceName: usage.service.name,
      purpose: usage.purpose,
      method: usage.method,
      path: usage.path.slice(0, 200),
      status: usage.status,
      note: "first proxied call of this service for this person today; later calls are counted per minute",
    },
  });
}
