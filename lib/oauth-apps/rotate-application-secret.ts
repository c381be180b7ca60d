import { z } from "zod";
import { DEFAULT_OVERLAP_SECONDS, MAX_OVERLAP_SECONDS } from "@/lib/access-tokens/secret-overlap";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { appSecretHint, generateAppSecret, hashAppSecret } from "./app-secrets";

export const rotateApplicationSecretSchema = z.object({ overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).optional() }).strict();

export type RotateApplicationSecretResult =
  { ok: true; clientSecret: string; previousSecretExpiresAt: Date } | { ok: false; code: "not_found" | "public_client" };

/**
 * As for service clients: a new secret, the current one valid for `overlapSeconds` more (0: stops now);
 * a secret already in its overlap is dropped. Public apps have no secret to rotate.
 */
export async function rotateApplicationSecret(
  ownerId: string,
  id: string,
  overlapSeconds: number = DEFAULT_OVERLAP_SECONDS,
  actor: AuditActor,
  ip: string | null,
  now = new Date(),
): Promise<RotateApplicationSecretResult> {
  const clientSecret = generateAppSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + overlapSeconds * 1000);
  return getDb().$transaction(async (tx) => {
    const current = await tx.oAuthApplication.findFirst({ where: { id, ownerUserId: ownerId }, select: { id: true, secretHash: true, confidential: true } });
    if (!current) return { ok: false as const, code: "not_found" as const };
    if (!current.confidential || !current.secretHash) return { ok: false as const, code: "public_client" as const };
    await tx.oAuthApplication.update({
      where: { id },
      data: {
        secretHash: hashAppSecret(clientSecret),
        secretHint: appSecretHint(clientSecret),
        previousSecretHash: current.secretHash,
        previousSecretExpiresAt,
      },
    });
    await recordAuditEvent({ action: "application.secret_rotated", actor, subjectUserId: ownerId, ip, detail: { applicationId: id, overlapSeconds } }, tx);
    return { ok: true as const, clientSecret, previousSecretExpiresAt };
  });
}
