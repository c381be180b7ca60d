import { presentedCredentialHash } from "@/lib/access-tokens/verify-credential";
import { revokeAppToken } from "@/lib/oauth-apps/find-app-token";
import { getDb } from "@/lib/db/client";
import { revokeToken } from "@/lib/pat/revoke-token";
import type { AuthenticatedServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { revokeServiceToken } from "@/lib/service-clients/verify-service-token";

/**
 * RFC 7009. A client revokes its own service access tokens, an application its own tokens; a PAT (or an
 * application token) is revoked by whoever presents it
 * (holding it is the proof). Everything else is ignored: the endpoint answers 200 whatever the token was.
 * Kind and hash come from lib/access-tokens; not verifyCredential's live check, since revoking must also
 * reach tokens that check refuses (a used refresh token ends its family).
 */
export async function revokePresentedToken(
  presented: string,
  client: AuthenticatedServiceClient | null,
  ip: string | null,
  application: { id: string } | null = null,
): Promise<void> {
  if (client) await revokeServiceToken(presented, client.id);
  // An app's tokens: by the app itself, or by whoever presents one (the token is the proof, as for PATs).
  await revokeAppToken(presented, application?.id ?? null, ip);
  if (application) return;
  const credential = presentedCredentialHash(presented);
  if (credential?.kind !== "pat") return;
  const pat = await getDb().personalAccessToken.findUnique({ where: { tokenHash: credential.tokenHash }, select: { id: true, userId: true } });
  if (pat) await revokeToken(pat.userId, pat.id, client ? { type: "service", id: client.id } : { type: "user", id: pat.userId }, ip);
}
