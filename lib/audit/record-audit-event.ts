import type { Prisma } from "@/lib/db/generated/client";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { redactSecrets } from "@/lib/log/logger";
import { enqueueWebhookEvent, type WebhookPayload } from "@/lib/audit/enqueue-webhook-event";
import { webhookEventForAudit, type WebhookEventType } from "@/lib/audit/webhook-events";

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
  // issue 13: PAT rotation and leaked-token reports
  "pat.rotated",
  "pat.reuse_detected",
  "pat.leaked",
  "service.token_leaked",
  // issue 20: leak reports end every kind of Tessera credential
  "service.secret_leaked",
  "application.token_leaked",
  "application.secret_leaked",
  // issue 11: the first proxied call of each service × person × day (the rest are counted per minute)
  "service.proxy_used",
  // issue 12: third-party OAuth applications
  "application.created",
  "application.deleted",
  "application.secret_rotated",
  "application.disabled",
  "application.enabled",
  "application.authorized",
  "application.grant_revoked",
  "application.code_replayed",
  "application.refresh_reused",
  // issue 22: a just-rotated refresh token answered again inside the reuse window (no revocation)
  "application.refresh_replayed",
  // issue 22: clients nobody registered by hand (RFC 7591, client id metadata documents), and who may register them
  "application.registered",
  "settings.client_registration_changed",
  // issue 24: every tool call of an application at /mcp (Tessera as an MCP server)
  "application.mcp_tool_called",
  // issue 13: background jobs, webhooks, notices
  "connection.recovered",
  "pat.expiry_notice",
  "pat.unused_notice",
  "webhook.created",
  "webhook.deleted",
  "webhook.enabled",
  "webhook.disabled",
  "webhook.redelivered",
  // issue 25: webhook endpoints edited, and test events sent from the admin page
  "webhook.updated",
  "webhook.test_sent",
  "retention.purged",
  // issue 23: Tessera's own connect flow, and services or MCP clients asking a person for more provider scopes
  "connection.scopes_requested",
  "connection.connect_failed",
  // issue 25: a token's detail page (rename, description) and "Revoke all my tokens"
  "pat.updated",
  "pat.revoked_all",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditActor = { type: "user" | "admin" | "system" | "service" | "application"; id?: string | null };

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

type AuditWriter = Prisma.TransactionClient;

// Outside a transaction, and for an action that is no webhook event, one plain INSERT on the pool (prepared,
// lib/db/prepared-query.ts): this runs on every exchange the state read does not audit. Not batched: a group commit
// (lib/db/group-commit.ts) made the exchange ~14% slower here (each caller waited for the batch before its own, and
// inserts of new rows do not contend; issue 26 notes). Each caller waits for its own row's commit. Ids keep cuid's
// shape (a letter, then time-ordered base36, then randomness); createdAt is written in UTC, as Prisma writes it.
const INSERT_SQL = preparedStatement(
  "insert_audit_event",
  `
  INSERT INTO "AuditEvent" (id, action, "actorType", "actorId", "subjectUserId", provider, "tokenNames", "patId", ip, detail, "createdAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, to_timestamp($11::bigint / 1000.0) AT TIME ZONE 'UTC')`,
);

const REWRITE_SQL = preparedStatement(
  "rewrite_audit_event",
  `UPDATE "AuditEvent" SET "subjectUserId" = $2, provider = $3, "tokenNames" = $4, detail = $5::jsonb WHERE id = $1 AND action = $6`,
);

const auditEventId = (now: number) => `c${now.toString(36)}${randomBase62(12)}`;

/**
 * Appends one audit event (inside `db`'s transaction when given). Token names only — never a token
 * value. An action that is also a webhook event (lib/audit/webhook-events.ts) queues its deliveries
 * in the same transaction (the outbox): called with a transaction, they commit or roll back with it;
 * called without, both are written in one.
 */
export async function recordAuditEvent(event: AuditEventInput, db?: AuditWriter): Promise<void> {
  // A transaction client has $transaction too (nested transactions): only identity tells the two apart.
  const tx = db === undefined || db === getDb() ? null : db;
  const webhookType = webhookEventForAudit(event);
  if (!webhookType) {
    if (tx) await writeAuditRow(event, tx);
    else await insertAuditRow(event);
    return;
  }
  const write = async (writer: Prisma.TransactionClient) => {
    const row = await writeAuditRow(event, writer);
    await enqueueWebhookEvent(writer, toWebhookPayload(webhookType, event, row));
  };
  if (tx) await write(tx);
  else await getDb().$transaction(write);
}

async function insertAuditRow(event: AuditEventInput): Promise<void> {
  const detail = event.detail ? redactSecrets(event.detail) : undefined;
  const now = Date.now();
  await queryPrepared(INSERT_SQL, [
    auditEventId(now),
    event.action,
    event.actor.type,
    event.actor.id ?? null,
    event.subjectUserId ?? null,
    event.provider ?? null,
    event.tokenNames ?? [],
    event.patId ?? null,
    event.ip ?? null,
    detail === undefined ? null : JSON.stringify(detail),
    now,
  ]);
}

/**
 * An audit event another statement of the caller's writes (issue 26: the token exchange's read writes its success
 * row, read-exchange-state.ts): its id, time and redacted detail as insertAuditRow would write them. `written` is set
 * by whoever wrote it; until then nothing is recorded.
 */
export type PreparedAuditEvent = { id: string; createdAtMs: number; ip: string | null; detail: string | null; written: boolean };

export function prepareAuditEvent(event: AuditEventInput): PreparedAuditEvent {
  const now = Date.now();
  const detail = event.detail ? redactSecrets(event.detail) : undefined;
  return { id: auditEventId(now), createdAtMs: now, ip: event.ip ?? null, detail: detail === undefined ? null : JSON.stringify(detail), written: false };
}

/**
 * Rewrites a prepared event that was written, when what happened turned out otherwise (the exchange refreshed after
 * all, or failed after its read): the same request, before its answer, so the trail holds one event per exchange.
 */
export async function rewriteAuditEvent(prepared: PreparedAuditEvent, event: AuditEventInput): Promise<void> {
  const detail = event.detail ? redactSecrets(event.detail) : undefined;
  await queryPrepared(REWRITE_SQL, [
    prepared.id,
    event.subjectUserId ?? null,
    event.provider ?? null,
    event.tokenNames ?? [],
    detail === undefined ? null : JSON.stringify(detail),
    event.action,
  ]);
}

function toWebhookPayload(type: WebhookEventType, event: AuditEventInput, row: { id: string; createdAt: Date; detail: unknown }): WebhookPayload {
  // Ids, provider, times and reasons: the audit row's own fields (already free of token values).
  const data: Record<string, unknown> = { userId: event.subjectUserId ?? null, actor: { type: event.actor.type, id: event.actor.id ?? null } };
  if (event.provider) data.provider = event.provider;
  if (event.patId) data.patId = event.patId;
  if (event.tokenNames?.length) data.tokenNames = event.tokenNames;
  if (row.detail && typeof row.detail === "object") Object.assign(data, row.detail);
  return { id: `evt_${row.id}`, type, createdAt: row.createdAt.toISOString(), data };
}

async function writeAuditRow(event: AuditEventInput, db: AuditWriter) {
  const detail = event.detail ? redactSecrets(event.detail) : undefined;
  return db.auditEvent.create({
    data: {
      action: event.action,
      actorType: event.actor.type,
      actorId: event.actor.id ?? null,
      subjectUserId: event.subjectUserId ?? null,
      provider: event.provider ?? null,
      tokenNames: event.tokenNames ?? [],
      patId: event.patId ?? null,
      ip: event.ip ?? null,
      detail: detail as Prisma.InputJsonValue | undefined,
    },
    select: { id: true, createdAt: true, detail: true },
  });
}
