import { digestsEqual } from "@/lib/crypto";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { hashAppSecret, isAppClientId, isAppSecret } from "./app-secrets";
import { isClientMetadataDocumentUrl, MAX_CLIENT_ID_URL_LENGTH } from "./client-metadata-document";

export type AuthenticatedApplication = { id: string; clientId: string; name: string; confidential: boolean; ownerUserId: string | null };

const LOOKUP_SQL = preparedStatement(
  "lookup_application",
  `
  SELECT id, "clientId", name, confidential, status, "ownerUserId", "secretHash", "previousSecretHash", "previousSecretExpiresAt"
  FROM "OAuthApplication" WHERE "clientId" = $1`,
);

type AppRow = AuthenticatedApplication & {
  status: "ACTIVE" | "DISABLED";
  secretHash: string | null;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
};

/**
 * Authenticates an application at the token endpoint, top to bottom: client id shape → one lookup →
 * active → a confidential app must present its secret (current, or previous during the overlap, compared
 * in constant time); a public app must present none (it proves itself with PKCE instead). Every failure
 * is the same null (the caller answers invalid_client).
 */
export async function authenticateApplication(clientId: string, secret: string | null, now = new Date()): Promise<AuthenticatedApplication | null> {
  // A metadata document client is looked up by its URL, never fetched here: it was checked when authorized.
  const documentClient = clientId.length <= MAX_CLIENT_ID_URL_LENGTH && isClientMetadataDocumentUrl(clientId);
  if (!documentClient && !isAppClientId(clientId)) return null;
  const { rows } = await queryPrepared<AppRow>(LOOKUP_SQL, [clientId]);
  const row = rows[0];
  if (!row || row.status !== "ACTIVE") return null;
  if (!row.confidential) {
    if (secret !== null) return null;
  } else {
    if (secret === null || !isAppSecret(secret) || !row.secretHash) return null;
    const presented = hashAppSecret(secret);
    const current = digestsEqual(presented, row.secretHash);
    const previous =
      row.previousSecretHash !== null &&
      row.previousSecretExpiresAt !== null &&
      row.previousSecretExpiresAt.getTime() > now.getTime() &&
      digestsEqual(presented, row.previousSecretHash);
    if (!current && !previous) return null;
  }
  return { id: row.id, clientId: row.clientId, name: row.name, confidential: row.confidential, ownerUserId: row.ownerUserId };
}
