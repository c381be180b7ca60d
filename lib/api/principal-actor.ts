import type { AuditActor } from "@/lib/audit/record-audit-event";
import type { UserPrincipal } from "./with-api";

/** Who an audit event names for a request: the application when its token acted, else the person. */
export function principalActor(principal: UserPrincipal): AuditActor {
  return principal.via === "app" ? { type: "application", id: principal.app.id } : { type: "user", id: principal.user.id };
}
