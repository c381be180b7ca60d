import { presentedCredentialHash, verifyCredential, type ServiceTokenRecord } from "@/lib/access-tokens/verify-credential";
import { getDb } from "@/lib/db/client";

export type VerifiedServiceToken = ServiceTokenRecord;

/**
 * A live service access token, or null: malformed, unknown, revoked, expired, or its client disabled
 * or deleted (deleting cascades to the tokens) all look the same. Delegates to verifyCredential.
 */
export async function verifyServiceToken(presented: string, now = new Date()): Promise<VerifiedServiceToken | null> {
  const result = await verifyCredential(presented, { now, accept: ["service"] });
  return result.ok && result.principal.kind === "service" ? result.principal.token : null;
}

/** Revokes a service access token if it belongs to `serviceClientId`; anything else is silently ignored (RFC 7009). */
export async function revokeServiceToken(presented: string, serviceClientId: string): Promise<void> {
  const credential = presentedCredentialHash(presented);
  if (credential?.kind !== "service") return;
  await getDb().serviceAccessToken.updateMany({
    where: { tokenHash: credential.tokenHash, serviceClientId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
