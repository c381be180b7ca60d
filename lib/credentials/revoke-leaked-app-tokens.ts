import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { revokeTokenFamily } from "@/lib/oauth-apps/revoke-token-family";
import { createNotification } from "@/lib/notifications/create-notification";
import { reportDetail, type LeakRevoker } from "./leak-revoker";

const SELECT = {
  tokenHash: true,
  familyId: true,
  grant: { select: { userId: true, application: { select: { id: true, clientId: true, name: true, ownerUserId: true } } } },
} as const;

/**
 * Application access (`tsr_oat_…`) and refresh (`tsr_ort_…`) tokens: the whole family is revoked (every
 * token issued from the same authorization code), as when a used refresh token comes back: whoever holds
 * one of them may hold the others. A rotated-out refresh token still names its family, so it counts too.
 * The person the tokens acted for is the audit subject and gets a notice; so does the app's owner,
 * whose application let the token out.
 */
export const revokeLeakedAppTokens: LeakRevoker = async (tx, hashes, context) => {
  const where = { tokenHash: { in: hashes }, revokedAt: null, expiresAt: { gt: context.now } };
  const access = await tx.oAuthAccessToken.findMany({ where, select: SELECT });
  const refresh = await tx.oAuthRefreshToken.findMany({ where, select: SELECT });
  const matched: string[] = [];
  const done = new Set<string>();
  for (const [kind, row] of [...access.map((r) => ["access", r] as const), ...refresh.map((r) => ["refresh", r] as const)]) {
    matched.push(row.tokenHash);
    if (done.has(row.familyId)) continue;
    done.add(row.familyId);
    const revokedCount = await revokeTokenFamily(tx, row.familyId, context.now);
    const app = row.grant.application;
    await recordAuditEvent(
      {
        action: "application.token_leaked",
        actor: { type: "system" },
        subjectUserId: row.grant.userId,
        ip: context.ip,
        detail: { applicationId: app.id, clientId: app.clientId, applicationName: app.name, kind, revokedCount, ...reportDetail(context, row.tokenHash) },
      },
      tx,
    );
    await createNotification(
      {
        userId: row.grant.userId,
        kind: "application.token_leaked",
        title: `Access by "${app.name}" was revoked`,
        body: `A token that lets "${app.name}" act for you was reported as leaked; it and every token issued with it are revoked. The application has to ask for your authorization again.`,
        dedupeKey: `application-token-leaked:${row.familyId}`,
      },
      tx,
    );
    if (app.ownerUserId && app.ownerUserId !== row.grant.userId) {
      await createNotification(
        {
          userId: app.ownerUserId,
          kind: "application.token_leaked",
          title: `A token of "${app.name}" leaked`,
          body: `An ${kind} token your application "${app.name}" held for one of its users was reported as leaked and is revoked, with its family. Check where the application stores tokens.`,
          dedupeKey: `application-token-leaked-owner:${row.familyId}`,
        },
        tx,
      );
    }
  }
  return matched;
};
