import { invalidGrant, invalidTarget } from "./exchange-authorization-code";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { refreshReuseWindowSeconds } from "@/lib/config/refresh-reuse-window";
import { constantTimeEqual } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { parseAppScopes } from "./app-scopes";
import { findProtectedResource } from "./protected-resources";
import { hashAppSecret, isAppRefreshToken } from "./app-secrets";
import type { AuthenticatedApplication } from "./authenticate-application";
import type { AppGrantResult } from "./exchange-authorization-code";
import { issueAppTokens } from "./issue-app-tokens";
import { openRefreshReplay, sealRefreshReplay } from "./refresh-replay";
import { revokeTokenFamily } from "./revoke-token-family";

/**
 * RFC 6749 §6 with rotation (OAuth 2.0 Security BCP §4.14): every use returns a new refresh token of the
 * same family and retires the presented one. Presenting a retired one again means two parties hold it:
 * the whole family is revoked. `scope` may narrow, never widen (invalid_scope).
 *
 * Except within the reuse window (TESSERA_REFRESH_REUSE_WINDOW_SECONDS, default 30 s) after the rotation:
 * the same client presenting it again is a client refreshing from two places at once (tabs, processes,
 * a retry after a lost response) and gets the pair the first refresh got. That pair is sealed on the used
 * row by the same transaction that claims the row, so a concurrent refresh, on any instance, blocks on
 * the row lock and then reads it.
 */
export async function refreshAppTokens(
  app: AuthenticatedApplication,
  input: { refreshToken?: string; scope?: string; resource?: string },
  ip: string | null,
  now = new Date(),
  reuseWindowSeconds = refreshReuseWindowSeconds(),
): Promise<AppGrantResult> {
  if (!input.refreshToken) return { ok: false, error: "invalid_request", description: "refresh_token is required." };
  const presented = input.refreshToken.trim();
  if (!isAppRefreshToken(presented)) return invalidGrant("The refresh token is invalid.");
  const tokenHash = hashAppSecret(presented);
  const db = getDb();
  const row = await db.oAuthRefreshToken.findUnique({ where: { tokenHash }, include: { grant: { select: { applicationId: true, userId: true } } } });
  // Another client's refresh token is as unknown to this one as a made-up one (nothing is revoked).
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash) || row.grant.applicationId !== app.id) return invalidGrant("The refresh token is invalid.");
  let scopes = row.scopes;
  if (input.scope !== undefined) {
    const requested = parseAppScopes(input.scope, findProtectedResource(row.audience)?.scopes);
    if (!requested || requested.some((scope) => !row.scopes.includes(scope)))
      return { ok: false, error: "invalid_scope", description: "A refresh can only keep or narrow the scopes granted." };
    scopes = requested;
  }
  // RFC 8707: a token has one audience, so a refresh keeps it: naming another resource is invalid_target.
  if (input.resource !== undefined && input.resource !== row.audience) return invalidTarget();
  const result = await db.$transaction(async (tx): Promise<AppGrantResult> => {
    // The claim: a concurrent refresh of the same row waits here for this transaction's row lock.
    const claimed = await tx.oAuthRefreshToken.updateMany({ where: { id: row.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) {
      const current = await tx.oAuthRefreshToken.findUnique({
        where: { id: row.id },
        select: { usedAt: true, revokedAt: true, replayCiphertext: true, replayUntil: true },
      });
      if (!current?.usedAt) return invalidGrant("The refresh token is invalid.");
      if (!current.revokedAt && current.replayCiphertext && current.replayUntil && current.replayUntil.getTime() > now.getTime()) {
        const replayed = await replayRotation(tx, row.id, current.replayCiphertext, input.scope === undefined ? null : scopes, now);
        // Each pair answered again is audited (not a reuse: nothing is revoked), so a token replayed by someone
        // holding the client's credentials inside the window still leaves a trace.
        if (replayed.ok) {
          await recordAuditEvent(
            {
              action: "application.refresh_replayed",
              actor: { type: "application", id: app.id },
              subjectUserId: row.grant.userId,
              ip,
              detail: {
                applicationId: app.id,
                clientId: app.clientId,
                familyId: row.familyId,
                // A concurrent replay may have read its clock just before the claim's: never a negative count.
                withinSeconds: Math.max(0, Math.floor((now.getTime() - current.usedAt.getTime()) / 1000)),
              },
            },
            tx,
          );
        }
        return replayed;
      }
      // Past the window (or none): revoking the family also clears what was sealed on its rows.
      const revoked = await revokeTokenFamily(tx, row.familyId, now);
      await recordAuditEvent(
        {
          action: "application.refresh_reused",
          actor: { type: "application", id: app.id },
          subjectUserId: row.grant.userId,
          ip,
          detail: { applicationId: app.id, clientId: app.clientId, name: app.name, tokensRevoked: revoked },
        },
        tx,
      );
      return invalidGrant("The refresh token was already used; every token of its family is revoked.");
    }
    if (row.expiresAt.getTime() <= now.getTime()) return invalidGrant("The refresh token has expired.");
    const tokens = await issueAppTokens(tx, row.grantId, row.familyId, scopes, now, row.audience);
    if (reuseWindowSeconds > 0) {
      await tx.oAuthRefreshToken.update({
        where: { id: row.id },
        data: { replayCiphertext: sealRefreshReplay(row.id, tokens), replayUntil: new Date(now.getTime() + reuseWindowSeconds * 1000) },
      });
    }
    return { ok: true, ...tokens };
  });
  if (result.ok) await clearEndedReplays(row.familyId, now);
  return result;
}

/**
 * The pair sealed on a used row, while both its tokens still work: revoked since (the family, or the
 * access token alone), or gone with its grant, the replay gets invalid_grant and revokes nothing more.
 * `scopes`: what this request asked for, when it named scopes: a replay answers only the same request.
 */
async function replayRotation(
  tx: Prisma.TransactionClient,
  refreshTokenId: string,
  ciphertext: string,
  scopes: string[] | null,
  now: Date,
): Promise<AppGrantResult> {
  const tokens = openRefreshReplay(refreshTokenId, ciphertext);
  if (!tokens) return invalidGrant("The refresh token was already used.");
  if (scopes && (scopes.length !== tokens.scopes.length || scopes.some((scope) => !tokens.scopes.includes(scope)))) {
    return invalidGrant("The refresh token was already used, for other scopes.");
  }
  const [access, refresh] = await Promise.all([
    tx.oAuthAccessToken.findUnique({ where: { tokenHash: hashAppSecret(tokens.accessToken) }, select: { revokedAt: true, expiresAt: true } }),
    tx.oAuthRefreshToken.findUnique({ where: { tokenHash: hashAppSecret(tokens.refreshToken) }, select: { revokedAt: true, expiresAt: true } }),
  ]);
  const works = (token: { revokedAt: Date | null; expiresAt: Date } | null) =>
    token !== null && token.revokedAt === null && token.expiresAt.getTime() > now.getTime();
  if (!works(access) || !works(refresh)) return invalidGrant("The refresh token was already used, and the tokens issued for it were revoked.");
  return { ok: true, ...tokens, expiresIn: Math.max(1, Math.floor((access!.expiresAt.getTime() - now.getTime()) / 1000)) };
}

/**
 * Drops sealed responses of this family whose window has ended: useless for replay, yet they hold live
 * tokens. Its own statement after the commit, so it never holds a row lock a family revocation waits on
 * while waiting on one of its rows (a deadlock). Best effort: the refresh has already succeeded.
 */
async function clearEndedReplays(familyId: string, now: Date): Promise<void> {
  try {
    await getDb().oAuthRefreshToken.updateMany({ where: { familyId, replayUntil: { lte: now } }, data: { replayCiphertext: null, replayUntil: null } });
  } catch {
    // The next refresh of the family, or its revocation, clears them.
  }
}
