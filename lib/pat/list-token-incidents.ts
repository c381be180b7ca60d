import { getDb } from "@/lib/db/client";

export const INCIDENT_WINDOW_DAYS = 30;
export type TokenIncident = { id: string; name: string; reason: "leaked" | "reuse_detected"; revokedAt: Date };

/**
 * The user's tokens that Tessera revoked on its own in the last 30 days: reported leaked, or ended by
 * reuse detection. The tokens page shows them in a banner (until a notifications menu exists).
 */
export async function listTokenIncidents(userId: string, now = new Date()): Promise<TokenIncident[]> {
  const rows = await getDb().personalAccessToken.findMany({
    where: { userId, revokedReason: { in: ["leaked", "reuse_detected"] }, revokedAt: { gte: new Date(now.getTime() - INCIDENT_WINDOW_DAYS * 86_400_000) } },
    orderBy: { revokedAt: "desc" },
    select: { id: true, name: true, revokedReason: true, revokedAt: true },
    take: 20,
  });
  return rows.map((row) => ({ id: row.id, name: row.name, reason: row.revokedReason as TokenIncident["reason"], revokedAt: row.revokedAt! }));
}
