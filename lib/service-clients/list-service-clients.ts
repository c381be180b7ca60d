import type { Prisma } from "@/lib/db/generated/client";
import { getDb } from "@/lib/db/client";
import { toServiceClientView, type ServiceClientView } from "./service-client-view";

/** The audit events that count as a service's successful token exchanges in the 24 hours before `now`. */
export function successfulExchangesSince(now: Date) {
  return {
    action: "service.token_exchanged",
    actorType: "service",
    createdAt: { gte: new Date(now.getTime() - 24 * 3600_000) },
    detail: { path: ["outcome"], equals: "success" },
  } satisfies Prisma.AuditEventWhereInput;
}

export type ServiceClientListItem = ServiceClientView & { exchangesLast24h: number };

/** Every service client, newest first, with its successful token exchanges in the last 24 hours. */
export async function listServiceClients(now = new Date()): Promise<ServiceClientListItem[]> {
  const db = getDb();
  const rows = await db.serviceClient.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 500 });
  const counts = await db.auditEvent.groupBy({ by: ["actorId"], where: successfulExchangesSince(now), _count: { _all: true } });
  const byClient = new Map(counts.map((count) => [count.actorId, count._count._all]));
  return rows.map((row) => ({ ...toServiceClientView(row), exchangesLast24h: byClient.get(row.id) ?? 0 }));
}
