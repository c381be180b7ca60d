import type { AuditEventInput } from "@/lib/audit/record-audit-event";

export const WEBHOOK_EVENTS = [
  "connection.needs_reconnect",
  "connection.refresh_failed",
  "connection.recovered",
  "connection.disconnected",
  "pat.expiring",
  "pat.revoked",
  "pat.leaked",
  "user.credentials_revoked",
  "service.secret_rotated",
  "connection.scopes_requested",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/**
 * The outbox mapping: which audit actions are also webhook events. recordAuditEvent consults it in
 * the transaction that writes the audit row, so a webhook exists exactly when its audit event does.
 */
export function webhookEventForAudit(event: Pick<AuditEventInput, "action" | "detail">): WebhookEventType | null {
  switch (event.action) {
    case "connection.reconnect_required":
      return "connection.needs_reconnect";
    case "provider_token.refresh_failed":
      // A dead grant is reported as needs_reconnect (its own audit row); this is the retryable kind.
      return event.detail?.retryable === false ? null : "connection.refresh_failed";
    case "connection.recovered":
      return "connection.recovered";
    case "connection.disconnected":
      return "connection.disconnected";
    case "pat.expiry_notice":
      return "pat.expiring";
    case "pat.revoked":
      return "pat.revoked";
    case "pat.leaked":
      return "pat.leaked";
    case "admin.revoke_all":
      // The summary is recorded when a revoke-all failed too (committed: false): nothing was revoked then.
      return event.detail?.committed === false ? null : "user.credentials_revoked";
    case "service.secret_rotated":
      return "service.secret_rotated";
    case "connection.scopes_requested":
      return "connection.scopes_requested";
    default:
      return null;
  }
}
