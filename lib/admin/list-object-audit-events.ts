import { auditActionsOfKind } from "@/lib/audit/describe-audit-action";
import { describeAuditEvents, type AuditEventView } from "@/lib/audit/describe-audit-events";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export type AuditObject = { kind: "service" | "application" | "webhook"; id: string };

// The per-call events (every token exchange, every proxied call, every MCP tool call) are reached by actorId; the
// rest, about the object, by their action (the (action, createdAt) index) and the id in their detail.
const DETAIL_KEY = { service: "serviceClientId", application: "applicationId", webhook: "webhookId" } as const;
const KIND = { service: "services", application: "applications", webhook: "webhooks" } as const;

/** The latest events about one service, application or webhook, newest first, in words (its admin detail page). */
export async function listObjectAuditEvents(object: AuditObject, take = 20): Promise<AuditEventView[]> {
  const about: Prisma.AuditEventWhereInput = {
    action: { in: auditActionsOfKind(KIND[object.kind]) },
    detail: { path: [DETAIL_KEY[object.kind]], equals: object.id },
  };
  const where: Prisma.AuditEventWhereInput = object.kind === "webhook" ? about : { OR: [{ actorId: object.id, actorType: object.kind }, about] };
  const rows = await getDb().auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
  return describeAuditEvents(rows);
}
