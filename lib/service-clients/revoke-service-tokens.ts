import type { Prisma } from "@/lib/db/generated/client";

/**
 * Revokes every live access token of a service client, inside the caller's transaction (a rotation
 * without overlap, or disabling), and returns how many. The caller updates the ServiceClient row FIRST:
 * that row lock is what issueServiceToken waits on, so a token minted concurrently is either refused
 * (it sees the new secret or status) or committed before this statement reads, and revoked here.
 * Revoked, not merely refused while disabled: re-enabling the client must not bring them back.
 */
export async function revokeServiceTokens(tx: Prisma.TransactionClient, serviceClientId: string, now: Date): Promise<number> {
  const { count } = await tx.serviceAccessToken.updateMany({ where: { serviceClientId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
  return count;
}
