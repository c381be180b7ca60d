import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { DEFAULT_OVERLAP_SECONDS, MAX_OVERLAP_SECONDS } from "@/lib/access-tokens/secret-overlap";
import { getDb } from "@/lib/db/client";
import { revokeServiceTokens } from "./revoke-service-tokens";
import { generateClientSecret, hashServiceSecret, secretHint } from "./service-secrets";

export const rotateServiceSecretSchema = z.object({ overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).optional() }).strict();

/**
 * Issues a new secret; the current one keeps working for `overlapSeconds` (0: stops now). A secret that
 * was already in its overlap is dropped: only one previous secret is ever valid.
 * With overlap 0 (the "it leaked" rotation) every access token issued before it is revoked in the same
 * transaction, so none outlives the secret anywhere. With an overlap the old secret may still mint
 * tokens, so revoking them now would only break the rollover: each lives to its own expiry (15 min).
 */
export async function rotateServiceSecret(
  id: string,
  overlapSeconds: number = DEFAULT_OVERLAP_SECONDS,
  actor: AuditActor,
  ip: string | null,
  now = new Date(),
): Promise<{ clientSecret: string; previousSecretExpiresAt: Date } | null> {
  const clientSecret = generateClientSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + overlapSeconds * 1000);
  return getDb().$transaction(async (tx) => {
    const current = await tx.serviceClient.findUnique({ where: { id }, select: { id: true, secretHash: true } });
    if (!current) return null;
    await tx.serviceClient.update({
      where: { id },
      data: {
        secretHash: hashServiceSecret(clientSecret),
        secretHint: secretHint(clientSecret),
        previousSecretHash: current.secretHash,
        previousSecretExpiresAt,
      },
    });
    const revokedSats = overlapSeconds === 0 ? await revokeServiceTokens(tx, id, now) : 0;
    await recordAuditEvent({ action: "service.secret_rotated", actor, ip, detail: { serviceClientId: id, overlapSeconds, revokedSats } }, tx);
    return { clientSecret, previousSecretExpiresAt };
  });
}
