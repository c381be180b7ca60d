import type { Prisma } from "@/lib/db/generated/client";
import { getDb } from "@/lib/db/client";
import { redactSecrets } from "@/lib/log/logger";

export const AUDIT_ACTIONS = [
  "provider_token.stored",
  "provider_token.refreshed",
  "provider_token.refresh_failed",
  "provider_token.removed",
  "provider_token.replaced",
  "provider_token.not_stored",
  "connection.disconnected",
  "connection.reconnect_required",
  "connection.revocation_pending",
  "connection.revocation_failed",
  "connection.deleted_without_revocation",
  "pat.created",
  "pat.revoked",
  "session.ended",
  "user.role_changed",
  "admin.revoke_all",
  "keys.rotated",
  "service.created",
  "service.updated",
  "service.secret_rotated",
  "service.deleted",
  "service.token_exchanged",
  "service.blocked",
  "service.unblocked",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditActor = { type: "user" | "admin" | "system" | "service"; id?: string | null };

export type AuditEventInput = {
  action: AuditAction;
  actor: AuditActor;
  subjectUserId?: string | null;
  provider?: string | null;
  tokenNames?: string[];
  patId?: string | null;
  ip?: string | null;
  /** Context such as a provider's error code. Keys that name secrets are redacted before writing. */
  detail?: Record<string, unknown>;
};

type AuditWriter = Pick<Prisma.TransactionClient, "auditEvent">;

/** Appends one audit event. Token names only — never a token value. */
export async function recordAuditEvent(event: AuditEventInput, db: AuditWriter = getDb()): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: event.action,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      subjectUserId: event.subjectUserId ?? null,
      provider: event.provider ?? null,
      tokenNames: event.tokenNames ?? [],
      patId: event.patId ?? null,
      ip: event.ip ?? null,
      detail: event.detail ? (redactSecrets(event.detail) as Prisma.InputJsonValue) : undefined,
    },
  });
}
