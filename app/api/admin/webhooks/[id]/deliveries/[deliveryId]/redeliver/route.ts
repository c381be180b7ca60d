import { asDocumented } from "@/lib/http/as-documented";
import { redeliveryQueuedSchema } from "@/lib/webhooks/webhook-schemas";
import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { redeliverWebhook } from "@/lib/webhooks/deliver-webhook";
import { isDeliveryId, isWebhookId } from "@/lib/webhooks/manage-webhook-endpoints";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** Queues one more attempt of a delivery (the job queue sends it; the log shows the outcome). */
export const POST = withApi<{ id: string; deliveryId: string }>(ADMIN, async (_request, { principal, params, ip }) => {
  if (!isWebhookId(params.id) || !isDeliveryId(params.deliveryId)) throw notFound();
  const queued = await redeliverWebhook(params.id, params.deliveryId, { type: "admin", id: principal.user.id }, ip);
  if (!queued) throw notFound();
  return json(asDocumented(redeliveryQueuedSchema, { queued: true }), 202);
});
