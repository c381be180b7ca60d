import { invalidGrant } from "./exchange-authorization-code";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { constantTimeEqual } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { parseAppScopes } from "./app-scopes";
import { hashAppSecret, isAppRefreshToken } from "./app-secrets";
import type { AuthenticatedApplication } from "./authenticate-application";
import type { AppGrantResult } from "./exchange-authorization-code";
import { issueAppTokens } from "./issue-app-tokens";
import { revokeTokenFamily } from "./revoke-token-family";


/**
 * RFC 6749 §6 with rotation (OAuth 2.0 Security BCP §4.14): every use returns a new refresh token of the
 * same family and retires the presented one. Presenting a retired one again means two parties hold it:
 * the whole family is revoked. `scope` may narrow, never widen (invalid_scope).
 */
export async function refreshAppTokens(app: AuthenticatedApplication, input: { refreshToken?: string; scope?: string }, ip: string | null, now = new Date()): Promise<AppGrantResult> {
  if (!input.refreshToken) return { ok: false, error: "invalid_request", description: "refresh_token is required." };
  const presented = input.refreshToken.trim();
  if (!isAppRefreshToken(presented)) return invalidGrant("The refresh token is invalid.");
  const tokenHash = hashAppSecret(presented);
  const db = getDb();
  const row = await db.oAuthRefreshToken.findUnique({ where: { tokenHash }, include: { grant: { select: { applicationId: true, userId: true } } } });
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash) || row.grant.applicationId !== app.id) return invalidGrant("The refresh token is invalid.");
  let scopes = row.scopes;
  if (input.scope !== undefined) {
    const requested = parseAppScopes(input.scope);
    if (!requested || requested.some((scope) => !row.scopes.includes(scope))) return { ok: false, error: "invalid_scope", description: "A refresh can only keep or narrow the scopes granted." };
    scopes = requested;
  }
  return db.$transaction(async (tx) => {
    const claimed = await tx.oAuthRefreshToken.updateMany({ where: { id: row.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) {
      const current = await tx.oAuthRefreshToken.findUnique({ where: { id: row.id }, select: { usedAt: true } });
      if (current?.usedAt) {
        const revoked = await revokeTokenFamily(tx, row.familyId, now);
        await recordAuditEvent(
          { action: "application.refresh_reused", actor: { type: "application", id: app.id }, subjectUserId: row.grant.userId, ip, detail: { applicationId: app.id, clientId: app.clientId, name: app.name, tokensRevoked: revoked } },
          tx,
        );
        return invalidGrant("The refresh token was already used; every token of its family is revoked.");
      }
      return invalidGrant("The refresh token is invalid.");
    }
    if (row.expiresAt.getTime() <= now.getTime()) return invalidGrant("The refresh token has expired.");
    const tokens = await issueAppTokens(tx, row.grantId, row.familyId, scopes, now);
    return { ok: true as const, ...tokens };
  });
}
