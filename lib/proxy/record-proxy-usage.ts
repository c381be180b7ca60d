import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getPool } from "@/lib/db/client";

/*
 * One statement per proxied call (unnamed, on the shared pool): count it in its minute's row for
 * service × person × provider, and claim today's row for service × person. Both inserts are atomic
 * across instances, so exactly one call per service × person × day learns it was the first; that one
 * is also written as a full audit event.
 */
const RECORD_SQL = `
  WITH first_today AS (
    INSERT INTO "ServiceProxyDay" ("serviceClientId", "userId", day) VALUES ($1, $2, $3::date)
    ON CONFLICT DO NOTHING RETURNING 1
  ), counted AS (
    INSERT INTO "ServiceProxyUsage" ("serviceClientId", "userId", provider, minute, calls, "failedCalls", "lastAt", "lastPurpose")
    VALUES ($1, $2, $4, $5::timestamp, 1, $6, $7::timestamp, $8)
    ON CONFLICT ("serviceClientId", "userId", provider, minute) DO UPDATE SET
      calls = "ServiceProxyUsage".calls + 1,
      "failedCalls" = "ServiceProxyUsage"."failedCalls" + EXCLUDED."failedCalls",
      "lastAt" = GREATEST("ServiceProxyUsage"."lastAt", EXCLUDED."lastAt"),
      "lastPurpose" = COALESCE(EXCLUDED."lastPurpose", "ServiceProxyUsage"."lastPurpose")
    RETURNING 1
  )
  SELECT EXISTS (SELECT 1 FROM first_today) AS first, (SELECT count(*) FROM counted) AS counted`;

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
  const { rows } = await getPool().query<{ first: boolean }>(RECORD_SQL, [
    usage.service.id,
    usage.userId,
    iso.slice(0, 10),
    usage.provider,
    minute,
    failed,
    iso.slice(0, 23),
    usage.purpose,
  ]);
  if (!rows[0]?.first) return;
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
