import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/record-audit-event";

/** The kinds the audit pages group actions by (the personal security log filters by them too). */
export const AUDIT_KINDS = {
  connections: "Connected accounts",
  tokens: "Personal access tokens",
  sessions: "Sign-in and roles",
  applications: "Applications",
  services: "Services",
  webhooks: "Webhooks",
  system: "Administration and upkeep",
} as const;

export type AuditKind = keyof typeof AUDIT_KINDS;

type ActionDescription = { label: string; kind: AuditKind };

/*
 * One place that turns an action code into words (issue 25): the admin audit log, the personal security log and
 * the admin detail pages all read it. A Record over AuditAction makes a new action without a label a type error;
 * lib/audit/describe-audit-action.test.ts checks the same at run time, and that every code recorded anywhere is known.
 */
const DESCRIPTIONS: Record<AuditAction, ActionDescription> = {
  "provider_token.stored": { label: "Provider token stored", kind: "connections" },
  "provider_token.refreshed": { label: "Provider token refreshed", kind: "connections" },
  "provider_token.refresh_failed": { label: "Provider token refresh failed", kind: "connections" },
  "provider_token.removed": { label: "Provider token removed", kind: "connections" },
  "provider_token.replaced": { label: "Provider token replaced", kind: "connections" },
  "provider_token.not_stored": { label: "Provider token not stored", kind: "connections" },
  "connection.disconnected": { label: "Account disconnected", kind: "connections" },
  "connection.reconnect_required": { label: "Account needs reconnecting", kind: "connections" },
  "connection.revocation_pending": { label: "Revocation at the provider pending", kind: "connections" },
  "connection.revocation_failed": { label: "Revocation at the provider failed", kind: "connections" },
  "connection.deleted_without_revocation": { label: "Tokens deleted (provider cannot revoke)", kind: "connections" },
  "connection.recovered": { label: "Account working again", kind: "connections" },
  "connection.scopes_requested": { label: "More provider access requested", kind: "connections" },
  "connection.connect_failed": { label: "Connecting an account failed", kind: "connections" },
  "pat.created": { label: "Token created", kind: "tokens" },
  "pat.revoked": { label: "Token revoked", kind: "tokens" },
  "pat.rotated": { label: "Token regenerated", kind: "tokens" },
  "pat.reuse_detected": { label: "Replaced token used again", kind: "tokens" },
  "pat.leaked": { label: "Token reported leaked", kind: "tokens" },
  "pat.expiry_notice": { label: "Token expiry notice sent", kind: "tokens" },
  "pat.unused_notice": { label: "Unused token notice sent", kind: "tokens" },
  "pat.updated": { label: "Token renamed or described", kind: "tokens" },
  "pat.revoked_all": { label: "All own tokens revoked", kind: "tokens" },
  "session.ended": { label: "Signed out", kind: "sessions" },
  "user.role_changed": { label: "Role changed", kind: "sessions" },
  "admin.revoke_all": { label: "All credentials revoked by an admin", kind: "sessions" },
  "service.created": { label: "Service created", kind: "services" },
  "service.updated": { label: "Service updated", kind: "services" },
  "service.secret_rotated": { label: "Service secret rotated", kind: "services" },
  "service.deleted": { label: "Service deleted", kind: "services" },
  "service.token_exchanged": { label: "Service obtained a provider token", kind: "services" },
  "service.blocked": { label: "Service blocked", kind: "services" },
  "service.unblocked": { label: "Service allowed again", kind: "services" },
  "service.token_leaked": { label: "Service token reported leaked", kind: "services" },
  "service.secret_leaked": { label: "Service secret reported leaked", kind: "services" },
  "service.proxy_used": { label: "Service called a provider API", kind: "services" },
  "application.created": { label: "Application created", kind: "applications" },
  "application.deleted": { label: "Application deleted", kind: "applications" },
  "application.secret_rotated": { label: "Application secret rotated", kind: "applications" },
  "application.disabled": { label: "Application disabled", kind: "applications" },
  "application.enabled": { label: "Application enabled", kind: "applications" },
  "application.authorized": { label: "Application authorized", kind: "applications" },
  "application.grant_revoked": { label: "Application access revoked", kind: "applications" },
  "application.code_replayed": { label: "Authorization code used twice", kind: "applications" },
  "application.refresh_reused": { label: "Refresh token reused (tokens revoked)", kind: "applications" },
  "application.refresh_replayed": { label: "Refresh token replayed within the grace window", kind: "applications" },
  "application.registered": { label: "Application registered itself", kind: "applications" },
  "application.token_leaked": { label: "Application token reported leaked", kind: "applications" },
  "application.secret_leaked": { label: "Application secret reported leaked", kind: "applications" },
  "application.mcp_tool_called": { label: "Application used an MCP tool", kind: "applications" },
  "settings.client_registration_changed": { label: "Application registration policy changed", kind: "applications" },
  "webhook.created": { label: "Webhook created", kind: "webhooks" },
  "webhook.updated": { label: "Webhook edited", kind: "webhooks" },
  "webhook.deleted": { label: "Webhook deleted", kind: "webhooks" },
  "webhook.enabled": { label: "Webhook enabled", kind: "webhooks" },
  "webhook.disabled": { label: "Webhook disabled", kind: "webhooks" },
  "webhook.redelivered": { label: "Webhook delivery sent again", kind: "webhooks" },
  "webhook.test_sent": { label: "Webhook test event sent", kind: "webhooks" },
  "keys.rotated": { label: "Encryption keys rotated", kind: "system" },
  "retention.purged": { label: "Old records purged", kind: "system" },
};

/** The words for an action code; a code this version does not know (an old row) shows as itself. */
export function describeAuditAction(action: string): string {
  return (DESCRIPTIONS as Record<string, ActionDescription | undefined>)[action]?.label ?? action;
}

export function auditActionKind(action: string): AuditKind | null {
  return (DESCRIPTIONS as Record<string, ActionDescription | undefined>)[action]?.kind ?? null;
}

/** Every action of a kind (the personal log's filter reads events by these). */
export function auditActionsOfKind(kind: AuditKind): AuditAction[] {
  return AUDIT_ACTIONS.filter((action) => DESCRIPTIONS[action].kind === kind);
}

/** For a filter's <select>: one group per kind (in AUDIT_KINDS' order), actions sorted by their label. */
export function groupedAuditActions(): { kind: AuditKind; label: string; actions: { value: AuditAction; label: string }[] }[] {
  return (Object.keys(AUDIT_KINDS) as AuditKind[]).map((kind) => ({
    kind,
    label: AUDIT_KINDS[kind],
    actions: auditActionsOfKind(kind)
      .map((value) => ({ value, label: DESCRIPTIONS[value].label }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  }));
}
