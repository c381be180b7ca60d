import type { Prisma } from "@/lib/db/generated/client";

/**
 * Ends every access and refresh token issued from one authorization code (its family), and drops the
 * sealed replay responses (refresh-app-tokens.ts) its used refresh tokens still hold.
 */
export async function revokeTokenFamily(tx: Prisma.TransactionClient, familyId: string, now: Date): Promise<number> {
  const access = await tx.oAuthAccessToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  const refresh = await tx.oAuthRefreshToken.updateMany({
    where: { familyId, revokedAt: null },
    data: { revokedAt: now, replayCiphertext: null, replayUntil: null },
  });
  return access.count + refresh.count;
}
