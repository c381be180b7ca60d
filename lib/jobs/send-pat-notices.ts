import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { createNotification } from "@/lib/notifications/create-notification";
import { revokeToken } from "@/lib/pat/revoke-token";

const DAY_MS = 86_400_000;
/** Notices before expiry, longest first: each PAT gets each notice once. */
const EXPIRY_NOTICES = [
  { days: 7, label: "7 days" },
  { days: 1, label: "1 day" },
] as const;

/** PAT_REVOKE_AFTER_UNUSED_DAYS: off (null) unless set to a whole number of days (at least 8). */
export function revokeAfterUnusedDays(): number | null {
  const raw = process.env.PAT_REVOKE_AFTER_UNUSED_DAYS;
  if (!raw) return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 8)
    throw new Error("PAT_REVOKE_AFTER_UNUSED_DAYS must be a whole number of days, at least 8 (the notice comes 7 days before)");
  return value;
}

export type PatNoticeReport = { expiryNotices: number; unusedNotices: number; revokedUnused: number };

/**
 * The hourly PAT job: expiry notices at 7 days and 1 day (app, mail, `pat.expiring` webhook), and the
 * inactivity policy — a notice 7 days before an unused PAT is revoked, then the revocation.
 * Notices are deduplicated by key, so a re-run (or a second instance) adds nothing.
 */
export async function sendPatNotices(now = new Date()): Promise<PatNoticeReport> {
  const report: PatNoticeReport = { expiryNotices: 0, unusedNotices: 0, revokedUnused: 0 };
  for (const notice of EXPIRY_NOTICES) {
    const tokens = await getDb().personalAccessToken.findMany({
      // A rotated-out token (replacedById) stops at its overlap's end by design: its successor is what expires.
      where: { revokedAt: null, replacedById: null, expiresAt: { gt: now, lte: new Date(now.getTime() + notice.days * DAY_MS) } },
      select: { id: true, userId: true, name: true, expiresAt: true },
      take: 1000,
    });
    for (const token of tokens) {
      // The 1-day notice supersedes the 7-day one for a token created with less than a week to live.
      if (notice.days === 7 && token.expiresAt.getTime() - now.getTime() <= DAY_MS) continue;
      const created = await getDb().$transaction(async (tx) => {
        const isNew = await createNotification(
          {
            userId: token.userId,
            kind: "pat.expiring",
            patId: token.id,
            title: `Token "${token.name}" expires in ${notice.label}`,
            body: `Your personal access token "${token.name}" expires on ${token.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC. Create a new one before then if a script still uses it.`,
            dedupeKey: `pat-expiring:${token.id}:${notice.days}d`,
          },
          tx,
        );
        if (isNew)
          await recordAuditEvent(
            {
              action: "pat.expiry_notice",
              actor: { type: "system" },
              subjectUserId: token.userId,
              patId: token.id,
              tokenNames: [token.name],
              detail: { expiresAt: token.expiresAt.toISOString(), noticeDays: notice.days },
            },
            tx,
          );
        return isNew;
      });
      if (created) report.expiryNotices++;
    }
  }

  const days = revokeAfterUnusedDays();
  if (days === null) return report;
  const unusedSince = (token: { lastUsedAt: Date | null; createdAt: Date }) => token.lastUsedAt ?? token.createdAt;
  const candidates = await getDb().personalAccessToken.findMany({
    where: {
      revokedAt: null,
      replacedById: null,
      expiresAt: { gt: now },
      OR: [
        { lastUsedAt: { lte: new Date(now.getTime() - (days - 7) * DAY_MS) } },
        { lastUsedAt: null, createdAt: { lte: new Date(now.getTime() - (days - 7) * DAY_MS) } },
      ],
    },
    select: { id: true, userId: true, name: true, lastUsedAt: true, createdAt: true },
    take: 1000,
  });
  for (const token of candidates) {
    const since = unusedSince(token);
    if (now.getTime() - since.getTime() >= days * DAY_MS) {
      await revokeToken(token.userId, token.id, { type: "system" }, null, { code: "unused", detail: `unused for ${days} days` });
      await createNotification({
        userId: token.userId,
        kind: "pat.revoked_unused",
        patId: token.id,
        title: `Token "${token.name}" was revoked`,
        body: `Your personal access token "${token.name}" was not used for ${days} days and has been revoked (policy PAT_REVOKE_AFTER_UNUSED_DAYS).`,
        dedupeKey: `pat-revoked-unused:${token.id}`,
      });
      report.revokedUnused++;
    } else {
      const revokeOn = new Date(since.getTime() + days * DAY_MS);
      const isNew = await getDb().$transaction(async (tx) => {
        const created = await createNotification(
          {
            userId: token.userId,
            kind: "pat.unused",
            patId: token.id,
            title: `Token "${token.name}" will be revoked for inactivity`,
            body: `Your personal access token "${token.name}" has not been used since ${since.toISOString().slice(0, 10)}. Unless it is used, it will be revoked on ${revokeOn.toISOString().slice(0, 10)}.`,
            dedupeKey: `pat-unused:${token.id}:${since.getTime()}`,
          },
          tx,
        );
        if (created)
          await recordAuditEvent(
            {
              action: "pat.unused_notice",
              actor: { type: "system" },
              subjectUserId: token.userId,
              patId: token.id,
              tokenNames: [token.name],
              detail: { unusedSince: since.toISOString(), revokeOn: revokeOn.toISOString() },
            },
            tx,
          );
        return created;
      });
      if (isNew) report.unusedNotices++;
    }
  }
  return report;
}
