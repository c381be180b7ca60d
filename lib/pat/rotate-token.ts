import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashCredentialSecret } from "@/lib/access-tokens/hash";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { isCredentialLive, maxLifetimeDays, type CreatingCredential } from "./create-token";
import { generatePatSecret, tokenHint } from "./format";
import { isScope, SCOPE_CATALOGUE } from "./scopes";
import { toTokenView, type TokenView } from "./token-view";

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_OVERLAP_SECONDS = 86_400;

export const rotateTokenSchema = z
  .object({
    /** How long the old token keeps working; 0 (the default) stops it at once. */
    overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).optional().default(0),
    /** The new token's lifetime; by default the old one's (capped by PAT_MAX_LIFETIME_DAYS). */
    expiresInDays: z.number().int().min(1).optional(),
  })
  .strict();

export type RotateTokenInput = z.infer<typeof rotateTokenSchema>;

export type RotateTokenFailure =
  "not_found" | "token_inactive" | "already_rotated" | "invalid_expiry" | "scope_not_allowed" | "insufficient_scope" | "credential_revoked";

export type RotateTokenResult =
  { ok: true; token: string; view: TokenView; previous: { id: string; stopsAt: Date } } | { ok: false; code: RotateTokenFailure; message: string };

const fail = (code: RotateTokenFailure, message: string) => ({ ok: false as const, code, message });

/**
 * Replaces one of the user's PATs with a new one: same name and scopes, a new secret and expiry. The
 * old token stops at once (overlap 0) or `overlapSeconds` later, to the millisecond: its expiry is
 * moved to that moment. Both tokens join one family (familyId): a rotated-out token presented after
 * its end revokes the whole family (verifyToken → revokeTokenFamily).
 *
 * At most one successor: the old row is claimed by a conditional update (`replacedById IS NULL`), inside
 * the per-user credentials lock, so two rotations of the same token at once yield one new token and
 * one `already_rotated`. `presentedScopes`: when a PAT asks, it may only rotate tokens whose scopes it
 * holds itself (a `tokens:write` token must not mint a copy of a broader one).
 */
export async function rotateToken(
  user: { id: string; role: "USER" | "ADMIN" },
  tokenId: string,
  input: RotateTokenInput,
  context: { ip: string | null; credential: CreatingCredential; presentedScopes: string[] | null; now?: Date },
): Promise<RotateTokenResult> {
  const now = context.now ?? new Date();
  const maxDays = maxLifetimeDays();
  if (input.expiresInDays !== undefined && input.expiresInDays > maxDays) return fail("invalid_expiry", `Tokens can live at most ${maxDays} days.`);
  const secret = generatePatSecret();
  const tokenHash = hashCredentialSecret(secret);

  return getDb().$transaction(async (tx) => {
    await lockUserCredentials(tx, user.id);
    if (!(await isCredentialLive(tx, user.id, context.credential, now)))
      return fail("credential_revoked", "The session or token behind this request has ended.");
    const old = await tx.personalAccessToken.findFirst({ where: { id: tokenId, userId: user.id } });
    if (!old) return fail("not_found", "Not found.");
    if (old.replacedById) return fail("already_rotated", "This token was already regenerated; rotate its successor instead.");
    if (old.revokedAt || old.expiresAt.getTime() <= now.getTime()) return fail("token_inactive", "Only an active token can be regenerated.");
    const forbidden = old.scopes.find((scope) => isScope(scope) && SCOPE_CATALOGUE[scope].adminOnly && user.role !== "ADMIN");
    if (forbidden) return fail("scope_not_allowed", `Only administrators can hold tokens with the ${forbidden} scope.`);
    const missing = context.presentedScopes ? old.scopes.find((scope) => !context.presentedScopes!.includes(scope)) : undefined;
    if (missing) return fail("insufficient_scope", `The token making this request lacks the ${missing} scope of the token it would regenerate.`);

    const lifetimeMs =
      input.expiresInDays !== undefined
        ? input.expiresInDays * DAY_MS
        : Math.min(Math.max(old.expiresAt.getTime() - old.createdAt.getTime(), DAY_MS), maxDays * DAY_MS);
    const expiresAt = new Date(now.getTime() + lifetimeMs);
    const stopsAt = new Date(Math.min(now.getTime() + input.overlapSeconds * 1000, old.expiresAt.getTime()));
    const newId = `pat_${randomBase62(12)}`;
    const familyId = old.familyId ?? old.id;

    const claimed = await tx.personalAccessToken.updateMany({
      where: { id: old.id, replacedById: null, revokedAt: null },
      data: {
        replacedById: newId,
        rotatedAt: now,
        familyId,
        expiresAt: stopsAt,
        ...(input.overlapSeconds === 0 ? { revokedAt: now, revokedReason: "rotated" } : {}),
      },
    });
    if (claimed.count !== 1) return fail("already_rotated", "This token was already regenerated; rotate its successor instead.");
    const row = await tx.personalAccessToken.create({
      data: {
        id: newId,
        userId: user.id,
        name: old.name,
        description: old.description,
        scopes: old.scopes,
        tokenHash,
        tokenHint: tokenHint(secret),
        createdAt: now,
        expiresAt,
        familyId,
      },
    });
    await recordAuditEvent(
      {
        action: "pat.rotated",
        actor: { type: "user", id: user.id },
        subjectUserId: user.id,
        patId: row.id,
        tokenNames: [row.name],
        ip: context.ip,
        detail: { previousPatId: old.id, overlapSeconds: input.overlapSeconds, previousStopsAt: stopsAt.toISOString(), expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
    return { ok: true as const, token: secret, view: toTokenView(row, now), previous: { id: old.id, stopsAt } };
  }, CREDENTIALS_TRANSACTION);
}
