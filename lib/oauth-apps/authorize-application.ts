import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import type { Prisma } from "@/lib/db/generated/client";
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

type Tx = Prisma.TransactionClient;

/**
 * Inside a consent's transaction: takes the person's credentials lock (ordered with revoke-all: a grant is
 * either visible to it, or made after it, when the person has no live session left) and says whether the
 * person still has a live session and the app is still active. Both consents (code and device) start here.
 */
export async function mayStillConsent(tx: Tx, userId: string, applicationId: string, now: Date): Promise<boolean> {
  await lockUserCredentials(tx, userId);
  if (!(await tx.session.findFirst({ where: { userId, expires: { gt: now } }, select: { id: true } }))) return false;
  const app = await tx.oAuthApplication.findUnique({ where: { id: applicationId }, select: { status: true } });
  return app?.status === "ACTIVE";
}

/** The person's grant to the app, widened to the union of every scope ever approved (asking for fewer never re-prompts). */
export async function widenGrant(tx: Tx, userId: string, applicationId: string, scopes: readonly string[]): Promise<{ id: string }> {
  const existing = await tx.oAuthGrant.findUnique({ where: { userId_applicationId: { userId, applicationId } } });
  const union = [...new Set([...(existing?.scopes ?? []), ...scopes])];
  return existing
    ? tx.oAuthGrant.update({ where: { id: existing.id }, data: { scopes: union } })
    : tx.oAuthGrant.create({ data: { id: `grt_${randomBase62(12)}`, userId, applicationId, scopes: union } });
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
    if (!(await mayStillConsent(tx, userId, request.app.id, now))) return null;
    const grant = await widenGrant(tx, userId, request.app.id, request.scopes);
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
