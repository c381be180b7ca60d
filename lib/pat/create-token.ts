import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashCredentialSecret } from "@/lib/access-tokens/hash";
import { randomBase62 } from "@/lib/crypto";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { CREDENTIALS_TRANSACTION, lockUserCredentials } from "@/lib/db/lock-user-credentials";
import { formatSelfDescribingPat, generatePatSecret, tokenHint } from "./format";
import { isScope, SCOPE_CATALOGUE, type Scope } from "./scopes";
import { toTokenView, type TokenView } from "./token-view";

const DAY_MS = 24 * 60 * 60 * 1000;

export function maxLifetimeDays(): number {
  const configured = Number(process.env.PAT_MAX_LIFETIME_DAYS ?? 365);
  return Number.isInteger(configured) && configured > 0 ? configured : 365;
}

export const createTokenSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Name is required")
      .max(100, "Name is at most 100 characters")
      // PostgreSQL refuses NUL (a 500 before this), and a lone surrogate would be stored as U+FFFD.
      .refine((name) => !/\p{Cc}/u.test(name) && name.isWellFormed(), "Name cannot contain control characters or invalid Unicode"),
    scopes: z
      .array(z.string().refine(isScope, { message: "Unknown scope" }))
      .min(1, "Choose at least one scope")
      .max(20)
      .transform((scopes) => [...new Set(scopes)] as Scope[]),
    expiresInDays: z.number().int().min(1).optional(),
    expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    selfDescribing: z.boolean().optional().default(false),
  })
  .strict()
  .refine((input) => (input.expiresInDays === undefined) !== (input.expiresAt === undefined), {
    message: "Give exactly one of expiresInDays or expiresAt",
    path: ["expiresInDays"],
  });

export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export type CreateTokenResult =
  | { ok: true; token: string; view: TokenView }
  | { ok: false; code: "name_taken" | "invalid_expiry" | "scope_not_allowed" | "credential_revoked"; message: string };

/** What authenticated the request that creates the token: re-checked under the per-user lock. */
export type CreatingCredential = { sessionToken: string } | { patId: string };

/**
 * Creates a PAT. The returned `token` is the only copy of its value that will ever exist outside the caller.
 * `credential` must still be live inside the transaction, so a creation racing revoke-all never outlives it.
 */
export async function createToken(
  user: { id: string; role: "USER" | "ADMIN" },
  input: CreateTokenInput,
  context: { ip: string | null; credential: CreatingCredential; now?: Date },
): Promise<CreateTokenResult> {
  const now = context.now ?? new Date();
  const forbidden = input.scopes.find((scope) => SCOPE_CATALOGUE[scope].adminOnly && user.role !== "ADMIN");
  if (forbidden) return { ok: false, code: "scope_not_allowed", message: `Only administrators can create tokens with the ${forbidden} scope.` };

  const expiresAt = input.expiresInDays !== undefined ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : endOfDayIfDateOnly(input.expiresAt!);
  const maxDays = maxLifetimeDays();
  if (!(expiresAt.getTime() > now.getTime())) return { ok: false, code: "invalid_expiry", message: "The expiry must be in the future." };
  if (expiresAt.getTime() > now.getTime() + maxDays * DAY_MS + 60_000) {
    return { ok: false, code: "invalid_expiry", message: `Tokens can live at most ${maxDays} days.` };
  }

  const secret = generatePatSecret();
  const db = getDb();
  return db.$transaction(async (tx) => {
    // Serialise with other creations (two requests cannot both take the same active name) and with
    // revoke-all, then make sure revoke-all has not ended the credential this request came with.
    await lockUserCredentials(tx, user.id);
    if (!(await isCredentialLive(tx, user.id, context.credential, now))) {
      return { ok: false as const, code: "credential_revoked" as const, message: "The session or token behind this request has ended." };
    }
    const clash = await tx.personalAccessToken.findFirst({
      where: { userId: user.id, name: input.name, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    if (clash) return { ok: false as const, code: "name_taken" as const, message: "You already have an active token with this name." };
    const row = await tx.personalAccessToken.create({
      data: {
        id: `pat_${randomBase62(12)}`,
        userId: user.id,
        name: input.name,
        scopes: input.scopes,
        tokenHash: hashCredentialSecret(secret),
        tokenHint: tokenHint(secret),
        createdAt: now,
        expiresAt,
      },
    });
    await recordAuditEvent(
      {
        action: "pat.created",
        actor: { type: "user", id: user.id },
        subjectUserId: user.id,
        patId: row.id,
        tokenNames: [row.name],
        ip: context.ip,
        detail: { scopes: row.scopes },
      },
      tx,
    );
    const token = input.selfDescribing ? formatSelfDescribingPat(secret, { name: row.name, createdAt: now, expiresAt }) : secret;
    return { ok: true as const, token, view: toTokenView(row, now) };
  }, CREDENTIALS_TRANSACTION);
}

/** The session or PAT behind a request is still live (call under lockUserCredentials). */
export async function isCredentialLive(tx: Prisma.TransactionClient, userId: string, credential: CreatingCredential, now: Date): Promise<boolean> {
  if ("sessionToken" in credential) {
    return Boolean(
      await tx.session.findFirst({ where: { sessionToken: hashSessionToken(credential.sessionToken), userId, expires: { gt: now } }, select: { id: true } }),
    );
  }
  return Boolean(
    await tx.personalAccessToken.findFirst({ where: { id: credential.patId, userId, revokedAt: null, expiresAt: { gt: now } }, select: { id: true } }),
  );
}

function endOfDayIfDateOnly(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value);
}
