import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import type { RevocationOutcome } from "@/lib/provider-tokens/revoke-at-provider";
import { providerLabel } from "@/lib/providers/catalog";

export type RevokeAllReport = {
  userId: string;
  providers: { provider: string; label: string; removedTokenNames: string[]; revocation: RevocationOutcome }[];
  revokedPats: { id: string; name: string }[];
  endedSessions: number;
};

/**
 * Incident response in one action: every stored provider token (revoked at the provider where it
 * can be), every PAT, every session. One audit event per revocation, then a summary event.
 */
export async function revokeAllCredentials(userId: string, actor: AuditActor, ip: string | null = null): Promise<RevokeAllReport | null> {
  const db = getDb();
  if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } }))) return null;

  const connected = await db.providerConnection.findMany({ where: { userId }, select: { provider: true } });
  const providers = [];
  for (const { provider } of connected) {
    const report = await disconnectProvider(userId, provider, actor, ip);
    providers.push({ ...report, label: providerLabel(provider) });
  }
  const revokedPats = await revokeAllPats(userId, actor, ip);
  const endedSessions = await endSessions(userId, actor, ip);
  const summary: RevokeAllReport = { userId, providers, revokedPats, endedSessions };
  await recordAuditEvent({
    action: "admin.revoke_all",
    actor,
    subjectUserId: userId,
    tokenNames: providers.flatMap((p) => p.removedTokenNames.map((n) => `${p.provider}:${n}`)),
    ip,
    detail: {
      providers: providers.map((p) => ({ provider: p.provider, revocation: p.revocation.status, reason: "reason" in p.revocation ? p.revocation.reason : null })),
      revokedPats: revokedPats.length,
      endedSessions,
    },
  });
  return summary;
}

export async function revokeAllPats(userId: string, actor: AuditActor, ip: string | null): Promise<{ id: string; name: string }[]> {
  return getDb().$transaction(async (tx) => {
    const active = await tx.personalAccessToken.findMany({ where: { userId, revokedAt: null }, select: { id: true, name: true } });
    if (!active.length) return [];
    await tx.personalAccessToken.updateMany({ where: { id: { in: active.map((p) => p.id) }, revokedAt: null }, data: { revokedAt: new Date() } });
    for (const pat of active) {
      await recordAuditEvent({ action: "pat.revoked", actor, subjectUserId: userId, patId: pat.id, tokenNames: [pat.name], ip }, tx);
    }
    return active;
  });
}

/** Deleting the session rows signs the user out everywhere on their next request. */
export async function endSessions(userId: string, actor: AuditActor, ip: string | null): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId } });
    if (count) await recordAuditEvent({ action: "session.ended", actor, subjectUserId: userId, ip, detail: { sessions: count } }, tx);
    return count;
  });
}
