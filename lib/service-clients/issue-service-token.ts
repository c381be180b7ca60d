import { getDb } from "@/lib/db/client";
import { generateServiceToken, hashServiceSecret } from "./service-secrets";

export const SERVICE_TOKEN_LIFETIME_SECONDS = 15 * 60;

/** The client was disabled, deleted, or its presented secret rotated out between authentication and issue. */
export class ServiceClientChangedError extends Error {
  readonly code = "client_changed";
  constructor() {
    super("The service client changed while its token was being issued.");
    this.name = "ServiceClientChangedError";
  }
}

/**
 * A `tsr_sat_…` access token for the client (client_credentials); only its hash is stored.
 * `presentedSecret` is the secret the request authenticated with. The insert happens under a share
 * lock on the client's row, re-checking that the client is active and that secret still valid: a
 * rotation without overlap or a disable that commits between authentication and this insert either
 * makes it fail (ServiceClientChangedError) or waits for it and then revokes the new token
 * (revoke-service-tokens.ts). Without this, such a token would outlive the incident response by 15 min.
 */
export async function issueServiceToken(
  serviceClientId: string,
  scopes: string[],
  options: { presentedSecret?: string; now?: Date } = {},
): Promise<{ token: string; expiresIn: number }> {
  const now = options.now ?? new Date();
  const presentedHash = options.presentedSecret === undefined ? null : hashServiceSecret(options.presentedSecret);
  const token = generateServiceToken();
  await getDb().$transaction(async (tx) => {
    // Timestamps are UTC without a zone: compare against epoch milliseconds, never a zoned parameter.
    const live = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "ServiceClient"
      WHERE id = ${serviceClientId} AND status = 'ACTIVE'
        AND (${presentedHash}::text IS NULL OR "secretHash" = ${presentedHash}
             OR ("previousSecretHash" = ${presentedHash} AND "previousSecretExpiresAt" > (to_timestamp(${now.getTime()}::bigint / 1000.0) AT TIME ZONE 'UTC')))
      FOR SHARE`;
    if (live.length === 0) throw new ServiceClientChangedError();
    await tx.serviceAccessToken.create({
      // createdAt from the same instant as expiresAt: introspection's exp − iat is the lifetime exactly, never 899.
      data: {
        serviceClientId,
        tokenHash: hashServiceSecret(token),
        scopes,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SERVICE_TOKEN_LIFETIME_SECONDS * 1000),
      },
    });
  });
  return { token, expiresIn: SERVICE_TOKEN_LIFETIME_SECONDS };
}
