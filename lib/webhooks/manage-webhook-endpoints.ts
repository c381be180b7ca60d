import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { checkWebhookUrl, checkWebhookUrlShape } from "./check-webhook-url";
import { generateWebhookSecret, sealWebhookSecret } from "./webhook-secret";
import { WEBHOOK_EVENTS } from "../audit/webhook-events";

export const createWebhookSchema = z
  .object({
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
  })
  .strict();

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
};

type EndpointRow = {
  id: string;
  url: string;
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
      data: { id, url: checked.url.toString(), events: input.events, ...sealWebhookSecret(id, secret), createdByUserId: admin.id },
    });
    await recordAuditEvent({ action: "webhook.created", actor: admin, ip, detail: { webhookId: id, url: checked.url.origin, events: input.events } }, tx);
  });
  return { ok: true, id, secret };
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
