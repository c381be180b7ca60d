import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { checkWebhookUrl, checkWebhookUrlShape } from "./check-webhook-url";
import { generateWebhookSecret, sealWebhookSecret } from "./webhook-secret";
import { WEBHOOK_EVENTS } from "../audit/webhook-events";

const webhookFields = {
  url: z
    .string()
    .trim()
    .max(2000, "URL is at most 2000 characters")
    .refine((url) => checkWebhookUrlShape(url).ok, { message: "Must be an http(s) URL without credentials" }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "Choose at least one event")
    .max(WEBHOOK_EVENTS.length)
    .transform((events) => [...new Set(events)]),
  /** What the receiver is for (issue 25); empty means none. */
  description: z
    .string()
    .trim()
    .max(200, "Description is at most 200 characters")
    .refine((text) => !/[\u0000-\u001f]/.test(text), { message: "Description must be one line of text" })
    .optional(),
};

export const createWebhookSchema = z.object(webhookFields).strict();

/** PATCH /api/admin/webhooks/{id} with the endpoint's fields: an edit, checked like a new endpoint. */
export const updateWebhookSchema = z.object(webhookFields).strict();
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

/** Path ids: anything else is "not found" before it reaches the database (a NUL would be a 500 there). */
export function isWebhookId(value: string): boolean {
  return /^whk_[0-9a-f]{24}$/.test(value);
}
export function isDeliveryId(value: string): boolean {
  return /^[a-z0-9]{1,40}$/.test(value);
}

export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

/** What admins see of an endpoint: never the secret, only its last 4 characters. */
export type WebhookEndpointView = {
  id: string;
  url: string;
  events: string[];
  status: "ACTIVE" | "DISABLED";
  disabledReason: string | null;
  secretHint: string;
  failingSince: string | null;
  createdAt: string;
  description: string | null;
};

type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: "ACTIVE" | "DISABLED";
  disabledReason: string | null;
  secretHint: string;
  failingSince: Date | null;
  createdAt: Date;
};

export function toWebhookEndpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    status: row.status,
    disabledReason: row.disabledReason,
    secretHint: row.secretHint,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    description: row.description,
  };
}

export type CreateWebhookResult = { ok: true; id: string; secret: string } | { ok: false; code: "invalid_url"; message: string };

/** Registers an endpoint; `secret` is the only copy of the signing secret that will be shown. */
export async function createWebhookEndpoint(input: CreateWebhookInput, admin: AuditActor & { id: string }, ip: string | null): Promise<CreateWebhookResult> {
  const checked = await checkWebhookUrl(input.url);
  if (!checked.ok) return { ok: false, code: "invalid_url", message: `Webhook URL refused: ${checked.reason}.` };
  const id = `whk_${randomBytes(12).toString("hex")}`;
  const secret = generateWebhookSecret();
  await getDb().$transaction(async (tx) => {
    await tx.webhookEndpoint.create({
      data: {
        id,
        url: checked.url.toString(),
        events: input.events,
        description: input.description || null,
        ...sealWebhookSecret(id, secret),
        createdByUserId: admin.id,
      },
    });
    await recordAuditEvent({ action: "webhook.created", actor: admin, ip, detail: { webhookId: id, url: checked.url.origin, events: input.events } }, tx);
  });
  return { ok: true, id, secret };
}

export type UpdateWebhookResult =
  { ok: true; view: WebhookEndpointView } | { ok: false; code: "invalid_url"; message: string } | { ok: false; code: "not_found" };

/**
 * Edits an endpoint's URL, events and description. The URL gets the same checks as a new one; its DNS look-up runs
 * before the transaction opens (no network call inside a transaction). The secret stays: the receiver keeps verifying.
 */
export async function updateWebhookEndpoint(
  id: string,
  input: UpdateWebhookInput,
  admin: AuditActor & { id: string },
  ip: string | null,
): Promise<UpdateWebhookResult> {
  const checked = await checkWebhookUrl(input.url);
  if (!checked.ok) return { ok: false, code: "invalid_url", message: `Webhook URL refused: ${checked.reason}.` };
  return getDb().$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id }, select: { url: true, events: true } });
    if (!before) return { ok: false as const, code: "not_found" as const };
    const row = await tx.webhookEndpoint.update({
      where: { id },
      data: { url: checked.url.toString(), events: input.events, description: input.description || null },
    });
    await recordAuditEvent(
      {
        action: "webhook.updated",
        actor: admin,
        ip,
        detail: { webhookId: id, url: checked.url.origin, events: input.events, urlChanged: before.url !== row.url },
      },
      tx,
    );
    return { ok: true as const, view: toWebhookEndpointView(row) };
  });
}

export async function getWebhookEndpoint(id: string): Promise<WebhookEndpointView | null> {
  const row = await getDb().webhookEndpoint.findUnique({ where: { id } });
  return row ? toWebhookEndpointView(row) : null;
}

export async function listWebhookEndpoints(): Promise<WebhookEndpointView[]> {
  const rows = await getDb().webhookEndpoint.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200 });
  return rows.map(toWebhookEndpointView);
}

/** Deletes an endpoint and its delivery log; false when there is none with that id. */
export async function deleteWebhookEndpoint(id: string, admin: AuditActor & { id: string }, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id } });
    if (count === 0) return false;
    await recordAuditEvent({ action: "webhook.deleted", actor: admin, ip, detail: { webhookId: id } }, tx);
    return true;
  });
}

/** Turns a disabled endpoint back on (its failure run starts over). */
export async function enableWebhookEndpoint(id: string, admin: AuditActor & { id: string }, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id }, data: { status: "ACTIVE", disabledReason: null, failingSince: null } });
    if (count === 0) return false;
    await recordAuditEvent({ action: "webhook.enabled", actor: admin, ip, detail: { webhookId: id } }, tx);
    return true;
  });
}
