import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

// Ids are cuids; anything else matches nothing, and a NUL would make PostgreSQL fail the query (a 500 page).
const idFilter = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{0,100}$/, "Unknown id");

export const auditQuerySchema = z.object({
  subject: idFilter.optional(),
  actor: idFilter.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  /** A service client's id: what it did (token exchanges) and what was done to it (created, rotated, …). */
  service: z.string().trim().max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  cursor: idFilter.optional(),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;
export const AUDIT_PAGE_SIZE = 50;

/** The audit trail, newest first, filtered, a page at a time (cursor = last id; ids order with time). */
export async function listAuditEvents(query: AuditQuery) {
  const where: Prisma.AuditEventWhereInput = {
    ...(query.subject ? { subjectUserId: query.subject } : {}),
    ...(query.actor ? { actorId: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.service ? { OR: [{ actorType: "service", actorId: query.service }, { detail: { path: ["serviceClientId"], equals: query.service } }] } : {}),
    ...(query.from || query.to
      ? {
          createdAt: {
            ...(query.from ? { gte: new Date(`${query.from}T00:00:00Z`) } : {}),
            ...(query.to ? { lte: new Date(`${query.to}T23:59:59.999Z`) } : {}),
          },
        }
      : {}),
  };
  const cursorRow = query.cursor ? await getDb().auditEvent.findUnique({ where: { id: query.cursor }, select: { id: true } }) : null;
  const events = await getDb().auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
    ...(cursorRow ? { cursor: { id: cursorRow.id }, skip: 1 } : {}),
  });
  const page = events.slice(0, AUDIT_PAGE_SIZE);
  return { events: page, nextCursor: events.length > AUDIT_PAGE_SIZE ? page[page.length - 1]!.id : null };
}
