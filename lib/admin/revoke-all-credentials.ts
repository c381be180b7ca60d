import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { logger } from "@/lib/log/logger";
import { markRevocationPending } from "@/lib/provider-tokens/mark-revocation-pending";
import { revokePendingConnection, type ProviderRevocation } from "@/lib/provider-tokens/revoke-pending-connection";
import { providerLabel } from "@/lib/providers/catalog";

type Tx = Prisma.TransactionClient;

export type RevokeAllReport = {
  userId: string;
  providers: ProviderRevocation[];
  revokedPats: { id: string; name: string }[];
  /** Third-party applications the user had authorized (issue 12): grants and their tokens deleted. */
  revokedAppGrants: { applicationId: string; name: string }[];
  endedSessions: number;
};

/**
 * Incident response in one action, in the order that closes the doors fastest:
 * 1. one transaction under the user's credentials lock ends every session, revokes every PAT and every
 *    application grant (with its tokens), and marks every provider connection REVOCATION_PENDING (its tokens are never handed out again);
 * 2. then, with no transaction open, each provider revokes its grant (with retries); a connection is
 *    deleted once its provider confirms, else it stays REVOCATION_FAILED with its ciphertext so an
 *    admin can retry (or delete without provider revocation).
 * The summary event `admin.revoke_all` is written whatever happens, with every step's outcome.
 */
export async function revokeAllCredentials(userId: string, actor: AuditActor, ip: string | null = null): Promise<RevokeAllReport | null> {
  const db = getDb();
  if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } }))) return null;

  const report: RevokeAllReport = { userId, providers: [], revokedPats: [], revokedAppGrants: [], endedSessions: 0 };
  let committed = false;
  let failed: string | null = null;
  try {
    const locked = await db.$transaction(async (tx) => {
      await lockUserCredentials(tx, userId);
      const endedSessions = await endSessionsIn(tx, userId, actor, ip);
      const revokedPats = await revokePatsIn(tx, userId, actor, ip);
      const revokedAppGrants = await revokeAppGrantsIn(tx, userId, actor, ip);
      const pending = await markRevocationPending(tx, userId, actor, ip);
      return { endedSessions, revokedPats, revokedAppGrants, pending };
    }, CREDENTIALS_TRANSACTION);
    committed = true;
    report.endedSessions = locked.endedSessions;
    report.revokedPats = locked.revokedPats;
    report.revokedAppGrants = locked.revokedAppGrants;
    report.providers = locked.pending.map(({ provider, tokenNames }) => ({
      provider,
      label: providerLabel(provider),
      status: "pending",
      revocation: null,
      reason: null,
      attempts: 0,
      removedTokenNames: [],
      keptTokenNames: tokenNames,
    }));

    report.providers = await Promise.all(
      report.providers.map(async (pending) => {
        try {
          // Null: someone else (a concurrent retry or delete) already settled it.
          return (
            (await revokePendingConnection(userId, pending.provider, actor, ip)) ?? {
              ...pending,
              status: "deleted" as const,
              reason: "already settled",
              keptTokenNames: [],
            }
          );
        } catch (error) {
          logger.error({ err: error, userId, provider: pending.provider }, "provider revocation failed unexpectedly; connection stays pending");
          return { ...pending, reason: "unexpected error; retry from the security tab" };
        }
      }),
    );
    return report;
  } catch (error) {
    failed = error instanceof Error ? error.name : "error";
    throw error;
  } finally {
    await recordSummary(report, { committed, failed }, actor, ip);
  }
}

async function recordSummary(report: RevokeAllReport, state: { committed: boolean; failed: string | null }, actor: AuditActor, ip: string | null) {
  try {
    await recordAuditEvent({
      action: "admin.revoke_all",
      actor,
      subjectUserId: report.userId,
      tokenNames: report.providers.flatMap((p) => [...p.removedTokenNames, ...p.keptTokenNames].map((n) => `${p.provider}:${n}`)),
      ip,
      detail: {
        // false: the transaction did not commit, so nothing was revoked.
        committed: state.committed,
        error: state.failed,
        providers: report.providers.map((p) => ({
          provider: p.provider,
          status: p.status,
          revocation: p.revocation?.status ?? null,
          reason: p.reason,
          attempts: p.attempts,
        })),
        revokedPats: report.revokedPats.length,
        revokedAppGrants: report.revokedAppGrants.length,
        endedSessions: report.endedSessions,
      },
    });
  } catch (error) {
    logger.error({ err: error, userId: report.userId }, "could not write the revoke-all summary event");
  }
}

async function revokePatsIn(tx: Tx, userId: string, actor: AuditActor, ip: string | null): Promise<{ id: string; name: string }[]> {
  const active = await tx.personalAccessToken.findMany({ where: { userId, revokedAt: null }, select: { id: true, name: true } });
  if (!active.length) return [];
  await tx.personalAccessToken.updateMany({ where: { id: { in: active.map((p) => p.id) }, revokedAt: null }, data: { revokedAt: new Date() } });
  for (const pat of active) {
    await recordAuditEvent({ action: "pat.revoked", actor, subjectUserId: userId, patId: pat.id, tokenNames: [pat.name], ip }, tx);
  }
  return active;
}

/** Every application the user authorized: the grants go, and with them (cascade) their codes and tokens. */
async function revokeAppGrantsIn(tx: Tx, userId: string, actor: AuditActor, ip: string | null): Promise<{ applicationId: string; name: string }[]> {
  const grants = await tx.oAuthGrant.findMany({
    where: { userId },
    select: { id: true, scopes: true, application: { select: { id: true, clientId: true, name: true } } },
  });
  if (!grants.length) return [];
  await tx.oAuthGrant.deleteMany({ where: { id: { in: grants.map((g) => g.id) } } });
  for (const grant of grants) {
    const { id: applicationId, clientId, name } = grant.application;
    await recordAuditEvent(
      { action: "application.grant_revoked", actor, subjectUserId: userId, ip, detail: { applicationId, clientId, name, scopes: grant.scopes } },
      tx,
    );
  }
  return grants.map((g) => ({ applicationId: g.application.id, name: g.application.name }));
}

async function endSessionsIn(tx: Tx, userId: string, actor: AuditActor, ip: string | null): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId } });
  if (count) await recordAuditEvent({ action: "session.ended", actor, subjectUserId: userId, ip, detail: { sessions: count } }, tx);
  return count;
}

/** Deleting the session rows signs the user out everywhere on their next request. */
export async function endSessions(userId: string, actor: AuditActor, ip: string | null): Promise<number> {
  return getDb().$transaction((tx) => endSessionsIn(tx, userId, actor, ip));
}
