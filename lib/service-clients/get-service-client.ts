import { getDb } from "@/lib/db/client";
import { successfulExchangesSince, type ServiceClientListItem } from "./list-service-clients";
import { toServiceClientView } from "./service-client-view";

/** One service client by id, with its successful token exchanges in the last 24 hours; null when there is none. */
export async function getServiceClient(id: string, now = new Date()): Promise<ServiceClientListItem | null> {
  const db = getDb();
  const row = await db.serviceClient.findUnique({ where: { id } });
  if (!row) return null;
  const exchangesLast24h = await db.auditEvent.count({ where: { ...successfulExchangesSince(now), actorId: row.id } });
  return { ...toServiceClientView(row), exchangesLast24h };
}
