import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { patIdSchema } from "./token-schemas";

// Line breaks and tabs are fine in a description; other control characters (NUL above all) are not.
const printable = (value: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(value) && value.isWellFormed();

export const MAX_TOKEN_DESCRIPTION = 500;

/** The detail page's "Edit": a new name (same rules as at creation) and a free-text description. */
export const updateTokenDetailsSchema = z.object({
  tokenId: patIdSchema,
  name: z
    .string()
    .trim()
    .min(1, "Give the token a name.")
    .max(100, "A name is at most 100 characters.")
    .refine((name) => !/\p{Cc}/u.test(name) && name.isWellFormed(), "A name cannot contain control characters."),
  description: z
    .string()
    .trim()
    .max(MAX_TOKEN_DESCRIPTION, `A description is at most ${MAX_TOKEN_DESCRIPTION} characters.`)
    .refine(printable, "A description cannot contain control characters."),
});

export type UpdateTokenDetailsInput = z.infer<typeof updateTokenDetailsSchema>;
export type UpdateTokenDetailsResult = { ok: true } | { ok: false; code: "token_not_found" | "token_name_taken" };

/**
 * Renames a token or changes its description. Only the owner's own tokens (another user's id is
 * `token_not_found`); an active token cannot take the name of another active one, as at creation. Audited
 * with the old and new names; the value and its hash are never touched.
 */
export async function updateTokenDetails(
  userId: string,
  input: UpdateTokenDetailsInput,
  context: { actor: AuditActor; ip: string | null; now?: Date },
): Promise<UpdateTokenDetailsResult> {
  const now = context.now ?? new Date();
  return getDb().$transaction(async (tx) => {
    // The same lock as creation: two requests cannot both take one active name.
    await lockUserCredentials(tx, userId);
    const token = await tx.personalAccessToken.findFirst({ where: { id: input.tokenId, userId }, select: { id: true, name: true, description: true } });
    if (!token) return { ok: false as const, code: "token_not_found" as const };
    if (input.name !== token.name) {
      const clash = await tx.personalAccessToken.findFirst({
        where: { userId, name: input.name, revokedAt: null, expiresAt: { gt: now }, id: { not: token.id } },
        select: { id: true },
      });
      if (clash) return { ok: false as const, code: "token_name_taken" as const };
    }
    if (input.name === token.name && input.description === token.description) return { ok: true as const };
    await tx.personalAccessToken.update({ where: { id: token.id }, data: { name: input.name, description: input.description } });
    await recordAuditEvent(
      {
        action: "pat.updated",
        actor: context.actor,
        subjectUserId: userId,
        patId: token.id,
        tokenNames: [...new Set([token.name, input.name])],
        ip: context.ip,
        detail: { renamed: input.name !== token.name, descriptionChanged: input.description !== token.description },
      },
      tx,
    );
    return { ok: true as const };
  }, CREDENTIALS_TRANSACTION);
}
