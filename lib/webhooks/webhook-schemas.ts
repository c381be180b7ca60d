import { z } from "zod";
import { WEBHOOK_EVENTS } from "../audit/webhook-events";

/** What the admin webhook API answers: the response shapes /docs shows and the contract tests check. */

const isoDate = z.iso.datetime().meta({ example: "2026-11-24T12:00:00.000Z" });

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string().meta({ example: "https://hooks.example/tessera" }),
    events: z.array(z.string()).meta({ description: `Any of: ${WEBHOOK_EVENTS.join(", ")}.`, example: ["pat.leaked"] }),
    status: z.enum(["active", "disabled"]),
    disabledReason: z.string().nullable().meta({ description: "Why it was disabled (e.g. 10 days of failed deliveries); null when active." }),
    createdAt: isoDate,
  })
  .meta({ id: "Webhook", description: "A webhook endpoint: never its signing secret." });

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) }).meta({ id: "WebhookList" });

export const createdWebhookSchema = z
  .object({
    id: z.string(),
    secret: z.string().meta({
      description: "The signing secret (HMAC-SHA256 of the body, sent in the signature header): shown in this response only.",
      example: "tsr_whsec_…",
    }),
  })
  .meta({ id: "CreatedWebhook" });

/** PATCH /api/admin/webhooks/{id} with `status`: re-enabling. */
export const enableWebhookSchema = z.object({ status: z.literal("active") }).strict();

/** What PATCH answers to an edit (url, events, description): the endpoint as it now is, never its secret. */
export const updatedWebhookSchema = z
  .object({
    id: z.string(),
    url: z.string().meta({ example: "https://hooks.example/tessera" }),
    events: z.array(z.string()).meta({ example: ["pat.leaked"] }),
    description: z.string().nullable().meta({ example: "Security team's incident channel" }),
    status: z.enum(["active", "disabled"]),
  })
  .meta({ id: "UpdatedWebhook" });

export const webhookTestResultSchema = z
  .object({
    deliveryId: z.string(),
    delivered: z.boolean().meta({ description: "True when the receiver answered 2xx." }),
    statusCode: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when it never answered." }),
    durationMs: z.number().int(),
    problem: z.string().nullable().meta({ description: "Why it failed, in words (timeout, connection refused, HTTP 500 …); null on success." }),
  })
  .meta({ id: "WebhookTestResult" });

export const enabledWebhookSchema = z.object({ id: z.string(), status: z.literal("active") }).meta({ id: "EnabledWebhook" });

export const redeliveryQueuedSchema = z.object({ queued: z.literal(true) }).meta({ id: "RedeliveryQueued" });
