import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { generateAuthorizationCode, hashAppSecret } from "./app-secrets";
import type { AuthorizationRequest } from "./authorization-request";

export const AUTHORIZATION_CODE_SECONDS = 60;

/** The scopes `userId` already granted `applicationId`, or null when they never authorized it. */
export async function findGrantedScopes(userId: string, applicationId: string): Promise<string[] | null> {
  const grant = await getDb().oAuthGrant.findUnique({ where: { userId_applicationId: { userId, applicationId } }, select: { scopes: true } });
  return grant?.scopes ?? null;
}

/** True when the person already granted every requested scope: the consent screen is skipped. */
export function isCoveredByGrant(requested: readonly string[], granted: readonly string[] | null): boolean {
  return granted !== null && requested.every((scope) => granted.includes(scope));
}

/**
 * Issues an authorization code for an approved request. The grant remembers the union of what was
 * ever approved (so asking again for fewer never re-prompts); the code carries exactly what was asked.
 * `consented`: the person just approved on the consent screen (audited), rather than a remembered grant.
 * Null when the person has no live session any more (revoke-all ran) or the app was disabled meanwhile.
 */
export async function issueAuthorizationCode(
  userId: string,
  request: AuthorizationRequest,
  context: { consented: boolean; ip: string | null; now?: Date },
): Promise<string | null> {
  const now = context.now ?? new Date();
  const code = generateAuthorizationCode();
  return getDb().$transaction(async (tx) => {
    // Ordered with revoke-all (same lock): a grant is either visible to it, or made after it, when the
    // person has no live session left and this refuses.
    await lockUserCredentials(tx, userId);
    if (!(await tx.session.findFirst({ where: { userId, expires: { gt: now } }, select: { id: true } }))) return null;
    const app = await tx.oAuthApplication.findUnique({ where: { id: request.app.id }, select: { status: true } });
    if (app?.status !== "ACTIVE") return null;
    const existing = await tx.oAuthGrant.findUnique({ where: { userId_applicationId: { userId, applicationId: request.app.id } } });
    const scopes = [...new Set([...(existing?.scopes ?? []), ...request.scopes])];
    const grant = existing
      ? await tx.oAuthGrant.update({ where: { id: existing.id }, data: { scopes } })
      : await tx.oAuthGrant.create({ data: { id: `grt_${randomBase62(12)}`, userId, applicationId: request.app.id, scopes } });
    await tx.oAuthAuthorizationCode.create({
      data: {
        id: `oac_${randomBase62(12)}`,
        grantId: grant.id,
        codeHash: hashAppSecret(code),
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        codeChallenge: request.codeChallenge,
        audience: request.resource,
        createdAt: now,
        expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000),
      },
    });
    if (context.consented) {
      await recordAuditEvent(
        {
          action: "application.authorized",
          actor: { type: "user", id: userId },
          subjectUserId: userId,
          ip: context.ip,
          detail: { applicationId: request.app.id, clientId: request.app.clientId, name: request.app.name, scopes: request.scopes },
        },
        tx,
      );
    }
    return code;
  }, CREDENTIALS_TRANSACTION);
}
