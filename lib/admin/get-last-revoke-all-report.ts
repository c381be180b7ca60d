import { getDb } from "@/lib/db/client";

// `status` since revocations became retryable; older events only have `revocation`.
export type RevokeAllDetail = {
  committed?: boolean;
  providers: { provider: string; status?: "revoked" | "deleted" | "failed" | "pending"; revocation: string | null; reason: string | null }[];
  revokedPats: number;
  /** Absent in events written before issue 12. */
  revokedAppGrants?: number;
  endedSessions: number;
};

const REPORT_VISIBLE_MS = 24 * 3600_000;

/** The report of the latest "Revoke all" of the last 24 h, from the audit log: it stays visible for whoever handles the incident. */
export async function getLastRevokeAllReport(userId: string, now = new Date()): Promise<{ createdAt: Date; detail: RevokeAllDetail } | null> {
  const event = await getDb().auditEvent.findFirst({
    where: { subjectUserId: userId, action: "admin.revoke_all", createdAt: { gte: new Date(now.getTime() - REPORT_VISIBLE_MS) } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true, detail: true },
  });
  return event ? { createdAt: event.createdAt, detail: event.detail as RevokeAllDetail } : null;
}
