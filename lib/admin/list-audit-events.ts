import { z } from "zod";
import { describeAuditEvents, type AuditEventView } from "@/lib/audit/describe-audit-events";
import { AUDIT_ACTIONS } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

// Ids are cuids; anything else matches nothing, and a NUL would make PostgreSQL fail the query (a 500 page).
const idFilter = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{0,100}$/, "Unknown id");

export const auditQuerySchema = z.object({
  /** A person's email address: the events they did or that were done to them (issue 25: no pasted ids). */
  person: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\u0000-\u001f]*$/, "Not an email address")
    .optional(),
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

export type AuditPage = {
  events: AuditEventView[];
  nextCursor: string | null;
  /** The person `person` named, when someone has that address; `null` when nobody does (then no event matches). */
  person: { id: string; email: string | null; name: string | null } | null;
};

/** The audit trail, newest first, filtered, a page at a time (cursor = last id; ids order with time), in words. */
export async function listAuditEvents(query: AuditQuery): Promise<AuditPage> {
  const db = getDb();
  const person = query.person ? await findPersonByEmail(query.person) : null;
  if (query.person && !person) return { events: [], nextCursor: null, person: null };
  const where: Prisma.AuditEventWhereInput = {
    AND: [
      person ? { OR: [{ subjectUserId: person.id }, { actorId: person.id }] } : {},
      query.subject ? { subjectUserId: query.subject } : {},
      query.actor ? { actorId: query.actor } : {},
      query.action ? { action: query.action } : {},
      query.service ? { OR: [{ actorType: "service", actorId: query.service }, { detail: { path: ["serviceClientId"], equals: query.service } }] } : {},
      query.from || query.to
        ? {
            createdAt: {
              ...(query.from ? { gte: new Date(`${query.from}T00:00:00Z`) } : {}),
              ...(query.to ? { lte: new Date(`${query.to}T23:59:59.999Z`) } : {}),
            },
          }
        : {},
    ],
  };
  const cursorRow = query.cursor ? await db.auditEvent.findUnique({ where: { id: query.cursor }, select: { id: true } }) : null;
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_PAGE_SIZE + 1,
    ...(cursorRow ? { cursor: { id: cursorRow.id }, skip: 1 } : {}),
  });
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  return {
    events: await describeAuditEvents(page),
    nextCursor: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1]!.id : null,
    person,
  };
}

/**
 * Addresses are stored as the provider gave them: the address as typed (the unique index), else any case of it
 * (the trigram index behind the users search; the exact match is picked from what it finds).
 */
async function findPersonByEmail(email: string) {
  const select = { id: true, email: true, name: true } as const;
  const db = getDb();
  const exact = await db.user.findUnique({ where: { email }, select });
  if (exact) return exact;
  const similar = await db.user.findMany({ where: { email: { contains: email, mode: "insensitive" } }, select, take: 20 });
  return similar.find((user) => user.email?.toLowerCase() === email.toLowerCase()) ?? null;
}

/** Names for the ids a link may carry (`?subject=` from a user's page): shown as a filter in words. */
export async function describeAuditFilterIds(query: AuditQuery): Promise<{ subject: string | null; actor: string | null }> {
  const ids = [query.subject, query.actor].filter((id): id is string => Boolean(id));
  const users = ids.length ? await getDb().user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }) : [];
  const name = (id: string | undefined) => {
    if (!id) return null;
    const user = users.find((u) => u.id === id);
    return user ? (user.email ?? user.name ?? "unnamed account") : "an unknown account";
  };
  return { subject: name(query.subject), actor: name(query.actor) };
}
