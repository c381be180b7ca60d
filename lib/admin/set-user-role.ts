import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

export type SetRoleResult = { ok: true } | { ok: false; code: "not_found" | "last_admin"; message: string };

/** Promote or demote; the last administrator can never be demoted. */
export async function setUserRole(userId: string, role: "USER" | "ADMIN", actor: AuditActor, ip: string | null = null): Promise<SetRoleResult> {
  return getDb().$transaction(async (tx) => {
    // One role change at a time, so two admins demoting each other cannot leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('tessera:user-roles'))`;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!user) return { ok: false as const, code: "not_found" as const, message: "No such user." };
    if (user.role === role) return { ok: true as const };
    if (role === "USER" && (await tx.user.count({ where: { role: "ADMIN" } })) <= 1) {
      return { ok: false as const, code: "last_admin" as const, message: "The last administrator cannot be demoted. Promote someone else first." };
    }
    // A manual change takes the role out of ADMIN_EMAILS' hands for good: the list never re-promotes or demotes it.
    await tx.user.update({ where: { id: userId }, data: { role, roleSource: "MANUAL" } });
    await recordAuditEvent({ action: "user.role_changed", actor, subjectUserId: userId, ip, detail: { from: user.role, to: role } }, tx);
    return { ok: true as const };
  });
}
