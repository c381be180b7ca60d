import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

export function retentionDays(): number {
  const value = Number(process.env.TESSERA_RETENTION_DAYS ?? 90);
  if (!Number.isInteger(value) || value < 1) throw new Error("TESSERA_RETENTION_DAYS must be a whole number of days, at least 1");
  return value;
}

/*
 * What the retention purge deletes: rows that stopped working (revoked, expired) before the cutoff.
 * One line per table — a new kind of token (OAuth codes, app tokens) adds its line here. Audit events
 * are never purged: the trail outlives what it talks about.
 */
const PURGES: { name: string; purge: (cutoff: Date, now: Date) => Promise<{ count: number }> }[] = [
  {
    name: "personalAccessTokens",
    purge: (cutoff) => getDb().personalAccessToken.deleteMany({ where: { OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] } }),
  },
  {
    name: "serviceAccessTokens",
    purge: (cutoff) => getDb().serviceAccessToken.deleteMany({ where: { OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] } }),
  },
  { name: "sessions", purge: (cutoff) => getDb().session.deleteMany({ where: { expires: { lt: cutoff } } }) },
  { name: "verificationTokens", purge: (cutoff) => getDb().verificationToken.deleteMany({ where: { expires: { lt: cutoff } } }) },
  { name: "webhookDeliveries", purge: (cutoff) => getDb().webhookDelivery.deleteMany({ where: { createdAt: { lt: cutoff }, status: { not: "PENDING" } } }) },
  { name: "readNotifications", purge: (cutoff) => getDb().notification.deleteMany({ where: { readAt: { lt: cutoff } } }) },
  { name: "deviceAuthorizations", purge: (cutoff) => getDb().oAuthDeviceAuthorization.deleteMany({ where: { expiresAt: { lt: cutoff } } }) },
  // Not retention: a rotated refresh token keeps its child pair sealed only for the reuse window
  // (lib/oauth-apps/refresh-replay.ts); a family that never refreshes again would otherwise keep it.
  {
    name: "refreshReplaySeals",
    purge: (_cutoff, now) => getDb().oAuthRefreshToken.updateMany({ where: { replayUntil: { lt: now } }, data: { replayCiphertext: null, replayUntil: null } }),
  },
];

/** Deletes what ended more than TESSERA_RETENTION_DAYS ago; counts per table go into one audit event. */
export async function purgeExpired(now = new Date()): Promise<Record<string, number>> {
  const days = retentionDays();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const counts: Record<string, number> = {};
  for (const { name, purge } of PURGES) counts[name] = (await purge(cutoff, now)).count;
  if (Object.values(counts).some((n) => n > 0))
    await recordAuditEvent({ action: "retention.purged", actor: { type: "system" }, detail: { retentionDays: days, cutoff: cutoff.toISOString(), ...counts } });
  return counts;
}
