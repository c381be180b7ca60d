import { getDb } from "@/lib/db/client";
import { generateServiceToken, hashServiceSecret } from "./service-secrets";

export const SERVICE_TOKEN_LIFETIME_SECONDS = 15 * 60;

/** A `tsr_sat_…` access token for the client (client_credentials); only its hash is stored. */
export async function issueServiceToken(serviceClientId: string, scopes: string[], now = new Date()): Promise<{ token: string; expiresIn: number }> {
  const token = generateServiceToken();
  await getDb().serviceAccessToken.create({
    data: { serviceClientId, tokenHash: hashServiceSecret(token), scopes, expiresAt: new Date(now.getTime() + SERVICE_TOKEN_LIFETIME_SECONDS * 1000) },
  });
  return { token, expiresIn: SERVICE_TOKEN_LIFETIME_SECONDS };
}
