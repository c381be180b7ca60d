import { z } from "zod";
import { AUDIT_KINDS, auditActionsOfKind, type AuditKind } from "@/lib/audit/describe-audit-action";
import { describeAuditEvents, type AuditEventView } from "@/lib/audit/describe-audit-events";
import { getDb } from "@/lib/db/client";

export const securityLogQuerySchema = z.object({
  kind: z.enum(Object.keys(AUDIT_KINDS) as [AuditKind, ...AuditKind[]]).optional(),
  cursor: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .optional(),
});

export type SecurityLogQuery = z.infer<typeof securityLogQuerySchema>;
export const SECURITY_LOG_PAGE_SIZE = 30;

/**
 * A person's own security log (issue 25, /settings/security): the events they did and the events done to their
 * account, newest first, in words. `userId` is always the signed-in person's (the page passes the session's id;
 * there is no parameter naming someone else). Others who acted on the account are not named to the person: an
 * admin shows as "An administrator", another account as "Another account".
 */
export async function listSecurityLog(userId: string, query: SecurityLogQuery): Promise<{ events: AuditEventView[]; nextCursor: string | null }> {
  const db = getDb();
  const where = {
    OR: [{ subjectUserId: userId }, { actorId: userId, actorType: { in: ["user", "admin"] } }],
    ...(query.kind ? { action: { in: auditActionsOfKind(query.kind) } } : {}),
  };
  // The cursor must be one of this person's events: anyone else's id is ignored (first page), never a peek past it.
  const cursorRow = query.cursor ? await db.auditEvent.findFirst({ where: { id: query.cursor, ...where }, select: { id: true } }) : null;
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: SECURITY_LOG_PAGE_SIZE + 1,
    ...(cursorRow ? { cursor: { id: cursorRow.id }, skip: 1 } : {}),
  });
  const page = rows.slice(0, SECURITY_LOG_PAGE_SIZE);
  const events = (await describeAuditEvents(page)).map((event, index) => {
    const row = page[index]!;
    if (event.actor.kind !== "user" || event.actor.id === userId) return event;
    const label = row.actorType === "admin" ? "An administrator" : "Another account";
    return { ...event, actor: { kind: "user" as const, label } };
  });
  return { events, nextCursor: rows.length > SECURITY_LOG_PAGE_SIZE ? page[page.length - 1]!.id : null };
}
