import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { constantTimeEqual, isBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { hashAppSecret, isCodeVerifier, s256 } from "./app-secrets";
import type { AuthenticatedApplication } from "./authenticate-application";
import { issueAppTokens, type IssuedAppTokens } from "./issue-app-tokens";
import { revokeTokenFamily } from "./revoke-token-family";

export type AppGrantResult =
  ({ ok: true } & IssuedAppTokens) | { ok: false; error: "invalid_request" | "invalid_grant" | "invalid_scope" | "invalid_target"; description: string };

/** An RFC 6749 §5.2 `invalid_grant` answer (codes and refresh tokens alike). */
export const invalidGrant = (description: string) => ({ ok: false as const, error: "invalid_grant" as const, description });

/** RFC 8707 §2: `resource` names another resource than the one the code or refresh token was issued for. */
export const invalidTarget = () => ({
  ok: false as const,
  error: "invalid_target" as const,
  description: "resource must name the resource this grant was issued for.",
});

/**
 * RFC 6749 §4.1.3 with RFC 7636: the code must be this client's, unused, under 60 s old, presented with
 * the same redirect_uri and a code_verifier whose S256 is the challenge. Claiming the code and issuing
 * its tokens happen in one transaction, so a concurrent replay waits for the tokens and then revokes
 * them: presenting a used code revokes every token issued from it (its family).
 * `resource` (RFC 8707 §2.2, already resolved to a resource's path): its tokens are for the code's one
 * audience; naming another is invalid_target (a token has exactly one audience, so there is nothing to narrow to).
 */
export async function exchangeAuthorizationCode(
  app: AuthenticatedApplication,
  input: { code?: string; redirectUri?: string; codeVerifier?: string; resource?: string },
  ip: string | null,
  now = new Date(),
): Promise<AppGrantResult> {
  if (!input.code) return { ok: false, error: "invalid_request", description: "code is required." };
  if (input.code.length !== 43 || !isBase62(input.code)) return invalidGrant("The authorization code is invalid.");
  const db = getDb();
  const row = await db.oAuthAuthorizationCode.findUnique({
    where: { codeHash: hashAppSecret(input.code) },
    include: { grant: { select: { applicationId: true, userId: true } } },
  });
  // Another client's code is as unknown to this one as a made-up code.
  if (!row || row.grant.applicationId !== app.id) return invalidGrant("The authorization code is invalid.");
  return db.$transaction(async (tx) => {
    const claimed = await tx.oAuthAuthorizationCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) {
      const revoked = await revokeTokenFamily(tx, row.id, now);
      await recordAuditEvent(
        {
          action: "application.code_replayed",
          actor: { type: "application", id: app.id },
          subjectUserId: row.grant.userId,
          ip,
          detail: { applicationId: app.id, clientId: app.clientId, name: app.name, tokensRevoked: revoked },
        },
        tx,
      );
      return invalidGrant("The authorization code was already used; the tokens issued from it are revoked.");
    }
    if (row.expiresAt.getTime() <= now.getTime()) return invalidGrant("The authorization code has expired.");
    if (input.redirectUri !== row.redirectUri) return invalidGrant("redirect_uri does not match the authorization request.");
    if (!isCodeVerifier(input.codeVerifier) || !constantTimeEqual(s256(input.codeVerifier), row.codeChallenge))
      return invalidGrant("code_verifier does not match the code challenge.");
    if (input.resource !== undefined && input.resource !== row.audience) return invalidTarget();
    const tokens = await issueAppTokens(tx, row.grantId, row.id, row.scopes, now, row.audience);
    return { ok: true as const, ...tokens };
  });
}
