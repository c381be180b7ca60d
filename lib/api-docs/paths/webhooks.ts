import { z } from "zod";
import { WEBHOOK_EVENTS } from "@/lib/audit/webhook-events";
import { createWebhookSchema, updateWebhookSchema } from "@/lib/webhooks/manage-webhook-endpoints";
import {
  createdWebhookSchema,
  enabledWebhookSchema,
  enableWebhookSchema,
  redeliveryQueuedSchema,
  updatedWebhookSchema,
  webhookListSchema,
  webhookTestResultSchema,
} from "@/lib/webhooks/webhook-schemas";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

const ADMIN = { kind: "user", scope: "admin", admin: true } as const;
const webhookId = z.string().max(100).meta({ description: "The webhook endpoint's id.", example: "cmi2xa1c20005qk8z7y6t5r4e" });
const notFound = errorResponse("No such webhook endpoint (or you are not an admin).", ["not_found"]);

export const webhooksArea = defineArea({
  tag: {
    name: "Admin: webhooks",
    description: `Endpoints Tessera POSTs signed events to (admins only). Events: ${WEBHOOK_EVENTS.join(", ")}. Deliveries are retried with backoff; an endpoint failing for 10 days is disabled.`,
  },
  routes: [
    {
      method: "POST",
      path: "/api/admin/webhooks",
      access: ADMIN,
      operation: {
        operationId: "createWebhook",
        summary: "Register a webhook endpoint",
        description: "The signing secret is in this response only. The URL must be http(s) without credentials and must not resolve to a private address.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: createWebhookSchema,
              example: { url: "https://hooks.example/tessera", events: ["pat.leaked", "connection.needs_reconnect"] },
            },
          },
        },
        responses: {
          201: { description: "Registered. `secret` is shown here once.", content: { "application/json": { schema: createdWebhookSchema } } },
          ...JSON_BODY_ERRORS,
          400: errorResponse("The body fails validation, or the URL is refused (the message says why).", ["invalid_request", "invalid_json", "invalid_url"]),
        },
      },
    },
    {
      method: "GET",
      path: "/api/admin/webhooks",
      access: ADMIN,
      operation: {
        operationId: "listWebhooks",
        summary: "List webhook endpoints",
        responses: { 200: { description: "Every endpoint; never a secret.", content: { "application/json": { schema: webhookListSchema } } } },
      },
    },
    {
      method: "PATCH",
      path: "/api/admin/webhooks/{id}",
      access: ADMIN,
      operation: {
        operationId: "updateWebhook",
        summary: "Edit or re-enable a webhook endpoint",
        description:
          '`{"status": "active"}` re-enables an endpoint disabled after 10 failing days. `{url, events, description}` edits it: the URL is checked like a new one; the signing secret stays.',
        requestParams: { path: z.object({ id: webhookId }) },
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: z.union([enableWebhookSchema, updateWebhookSchema]),
              example: { url: "https://hooks.example/tessera/v2", events: ["pat.leaked"], description: "Security team" },
            },
          },
        },
        responses: {
          200: {
            description: "Active again, or edited.",
            content: { "application/json": { schema: z.union([enabledWebhookSchema, updatedWebhookSchema]) } },
          },
          ...JSON_BODY_ERRORS,
          400: errorResponse("The body fails validation, or the URL is refused (the message says why).", ["invalid_request", "invalid_json", "invalid_url"]),
          404: notFound,
        },
      },
    },
    {
      method: "POST",
      path: "/api/admin/webhooks/{id}/test",
      access: ADMIN,
      operation: {
        operationId: "sendWebhookTestEvent",
        summary: "Send a test event",
        description:
          "Sends a signed `webhook.test` event to the endpoint now (one attempt, no retries) and answers how the receiver took it. It appears in the delivery log.",
        requestParams: { path: z.object({ id: webhookId }) },
        responses: {
          200: {
            description: "Sent; `delivered` says whether the receiver answered 2xx.",
            content: { "application/json": { schema: webhookTestResultSchema } },
          },
          404: notFound,
        },
      },
    },
    {
      method: "DELETE",
      path: "/api/admin/webhooks/{id}",
      access: ADMIN,
      operation: {
        operationId: "deleteWebhook",
        summary: "Delete a webhook endpoint",
        requestParams: { path: z.object({ id: webhookId }) },
        responses: { 204: { description: "Deleted; queued deliveries to it are dropped." }, 404: notFound },
      },
    },
    {
      method: "POST",
      path: "/api/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver",
      access: ADMIN,
      operation: {
        operationId: "redeliverWebhook",
        summary: "Redeliver a webhook delivery",
        description: "Queues one more attempt of a delivery; the delivery log shows the outcome.",
        requestParams: {
          path: z.object({ id: webhookId, deliveryId: z.string().max(100).meta({ description: "The delivery's id.", example: "cmi2xb7d40007qk8z1a2s3d4f" }) }),
        },
        responses: {
          202: { description: "Queued.", content: { "application/json": { schema: redeliveryQueuedSchema } } },
          404: errorResponse("No such endpoint or delivery (or you are not an admin).", ["not_found"]),
        },
      },
    },
  ],
});
