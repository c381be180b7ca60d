import { asDocumented } from "@/lib/http/as-documented";
import { redeliveryQueuedSchema } from "@/lib/webhooks/webhook-schemas";
import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { redeliverWebhook } from "@/lib/webhooks/deliver-webhook";
import { webhookDeliveryParams } from "@/lib/api/route-params";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** Queues one more attempt of a delivery (the job queue sends it; the log shows the outcome). */
export const POST = withApi({ ...ADMIN, params: webhookDeliveryParams }, async (_request, { params, actor, ip }) => {
  const queued = await redeliverWebhook(params.id, params.deliveryId, actor, ip);
  if (!queued) throw notFound();
  return json(asDocumented(redeliveryQueuedSchema, { queued: true }), 202);
});
