import { randomBase62 } from "@/lib/crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { generateAppAccessToken, generateAppRefreshToken, hashAppSecret } from "./app-secrets";
import { API_RESOURCE } from "./protected-resources";

export const APP_ACCESS_TOKEN_SECONDS = 3600;
export const APP_REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;

export type IssuedAppTokens = { accessToken: string; refreshToken: string; expiresIn: number; scopes: string[] };

/**
 * A `tsr_oat_…` access token (1 h) and a `tsr_ort_…` refresh token (30 days from now: sliding) of one family; only hashes are stored.
 * `audience`: the protected resource's path (RFC 8707), the same on both: a refresh keeps it.
 */
export async function issueAppTokens(
  tx: Prisma.TransactionClient,
  grantId: string,
  familyId: string,
  scopes: string[],
  now: Date,
  audience: string = API_RESOURCE,
): Promise<IssuedAppTokens> {
  const accessToken = generateAppAccessToken();
  const refreshToken = generateAppRefreshToken();
  await tx.oAuthAccessToken.create({
    data: {
      id: `oat_${randomBase62(12)}`,
      grantId,
      familyId,
      tokenHash: hashAppSecret(accessToken),
      scopes,
      audience,
      createdAt: now,
      expiresAt: new Date(now.getTime() + APP_ACCESS_TOKEN_SECONDS * 1000),
    },
  });
  await tx.oAuthRefreshToken.create({
    data: {
      id: `ort_${randomBase62(12)}`,
      grantId,
      familyId,
      tokenHash: hashAppSecret(refreshToken),
      scopes,
      audience,
      createdAt: now,
      expiresAt: new Date(now.getTime() + APP_REFRESH_TOKEN_SECONDS * 1000),
    },
  });
  return { accessToken, refreshToken, expiresIn: APP_ACCESS_TOKEN_SECONDS, scopes };
}
