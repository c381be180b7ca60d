import { getDb } from "@/lib/db/client";
import { TOKEN_INCIDENT_KINDS, type TokenIncidentReason } from "./notify-token-incident";

export const INCIDENT_WINDOW_DAYS = 30;
export type TokenIncident = { id: string; name: string; reason: TokenIncidentReason; revokedAt: Date };

/**
 * The user's tokens that Tessera revoked on its own (reported leaked, or ended by reuse detection) that they have
 * not dismissed yet, newest first. One entry per rotation family (lib/pat/notify-token-incident.ts): reuse
 * detection revokes every token of a chain, and listing the rows themselves showed one incident per row. The
 * banner ends when the person dismisses an entry (or marks their notifications read), and after 30 days.
 * `id` is the notification's id, what "Dismiss" marks read.
 */
export async function listTokenIncidents(userId: string, now = new Date()): Promise<TokenIncident[]> {
  const db = getDb();
  const notices = await db.notification.findMany({
    where: {
      userId,
      kind: { in: [...TOKEN_INCIDENT_KINDS] },
      readAt: null,
      createdAt: { gte: new Date(now.getTime() - INCIDENT_WINDOW_DAYS * 86_400_000) },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, kind: true, patId: true, createdAt: true },
    take: 20,
  });
  const patIds = notices.flatMap((notice) => (notice.patId ? [notice.patId] : []));
  const names = new Map(
    (await db.personalAccessToken.findMany({ where: { userId, id: { in: patIds } }, select: { id: true, name: true } })).map((pat) => [pat.id, pat.name]),
  );
  return notices.map((notice) => ({
    id: notice.id,
    name: (notice.patId && names.get(notice.patId)) ?? "a token",
    reason: notice.kind === "pat.leaked" ? "leaked" : "reuse_detected",
    revokedAt: notice.createdAt,
  }));
}
