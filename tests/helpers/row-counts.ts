import { getDb } from "@/lib/db/client";

const TABLES = [
  "User",
  "Account",
  "Session",
  "PersonalAccessToken",
  "ProviderConnection",
  "ProviderToken",
  "AuditEvent",
  "OAuthApplication",
  "OAuthGrant",
  "OAuthAuthorizationCode",
  "OAuthAccessToken",
  "OAuthRefreshToken",
  "WebhookEndpoint",
  "WebhookDelivery",
  "Notification",
] as const;

/** Row counts of every table a request could write, in one round trip. */
export async function rowCounts(): Promise<Record<(typeof TABLES)[number], number>> {
  const select = TABLES.map((table) => `(SELECT count(*)::int FROM "${table}") AS "${table}"`).join(", ");
  const [row] = await getDb().$queryRawUnsafe<Record<(typeof TABLES)[number], number>[]>(`SELECT ${select}`);
  return row!;
}
