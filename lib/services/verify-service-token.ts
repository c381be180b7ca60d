import { constantTimeEqual } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { hashServiceSecret, isServiceToken } from "./service-secrets";

export type VerifiedServiceToken = {
  id: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  /** The client as it is NOW (permissions and allow-list may have changed since the token was issued). */
  client: { id: string; clientId: string; name: string; permissions: string[]; rateLimitPerMinute: number; proxyAllow: string[] };
};

/**
 * A live service access token, or null: malformed, unknown, revoked, expired, or its client disabled
 * or deleted (deleting cascades to the tokens) all look the same.
 */
export async function verifyServiceToken(presented: string, now = new Date()): Promise<VerifiedServiceToken | null> {
  if (!isServiceToken(presented)) return null;
  const tokenHash = hashServiceSecret(presented);
  const row = await getDb().serviceAccessToken.findUnique({ where: { tokenHash }, include: { serviceClient: true } });
  if (!row || !constantTimeEqual(row.tokenHash, tokenHash)) return null;
  if (row.revokedAt || row.expiresAt.getTime() <= now.getTime() || row.serviceClient.status !== "ACTIVE") return null;
  const { id, clientId, name, permissions, rateLimitPerMinute, proxyAllow } = row.serviceClient;
  return { id: row.id, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt, client: { id, clientId, name, permissions, rateLimitPerMinute, proxyAllow } };
}

/** Revokes a service access token if it belongs to `serviceClientId`; anything else is silently ignored (RFC 7009). */
export async function revokeServiceToken(presented: string, serviceClientId: string): Promise<void> {
  if (!isServiceToken(presented)) return;
  await getDb().serviceAccessToken.updateMany({ where: { tokenHash: hashServiceSecret(presented), serviceClientId, revokedAt: null }, data: { revokedAt: new Date() } });
}
