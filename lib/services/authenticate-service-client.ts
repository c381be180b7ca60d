import { constantTimeEqual } from "@/lib/crypto";
import { getDb, getPool } from "@/lib/db/client";
import { hashServiceSecret, isClientSecret } from "./service-secrets";

export type AuthenticatedServiceClient = { id: string; clientId: string; name: string; permissions: string[]; rateLimitPerMinute: number };

const LOOKUP_SQL = `
  SELECT id, "clientId", name, permissions, status, "secretHash", "previousSecretHash", "previousSecretExpiresAt", "rateLimitPerMinute", "lastUsedAt"
  FROM "ServiceClient" WHERE "clientId" = $1`;

type ClientRow = {
  id: string;
  clientId: string;
  name: string;
  permissions: string[];
  status: "ACTIVE" | "DISABLED";
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  rateLimitPerMinute: number;
  lastUsedAt: Date | null;
};

/** lastUsedAt is written at most once a minute per client: it is shown in minutes, and this runs on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Checks a client id and secret, top to bottom: checksum (junk ends here, no query) → one lookup by
 * client id → active → constant-time compare with the current secret, or with the previous one while
 * its overlap lasts. Every failure is the same `null` (the caller answers invalid_client).
 */
export async function authenticateServiceClient(clientId: string, secret: string, now = new Date()): Promise<AuthenticatedServiceClient | null> {
  if (!isClientSecret(secret) || clientId.length > 100) return null;
  // Plain SQL on the shared pool (unnamed statement): this runs on every token request.
  const { rows } = await getPool().query<ClientRow>(LOOKUP_SQL, [clientId]);
  const row = rows[0];
  if (!row || row.status !== "ACTIVE") return null;
  const presented = hashServiceSecret(secret);
  const current = constantTimeEqual(presented, row.secretHash);
  const previous = row.previousSecretHash !== null && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt.getTime() > now.getTime() && constantTimeEqual(presented, row.previousSecretHash);
  if (!current && !previous) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await getDb().serviceClient.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, clientId: row.clientId, name: row.name, permissions: row.permissions, rateLimitPerMinute: row.rateLimitPerMinute };
}
