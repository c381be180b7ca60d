import { json, withApi } from "@/lib/api/with-api";
import { webhookParams } from "@/lib/api/route-params";
import { notFound } from "@/lib/http/api-error";
import { asDocumented } from "@/lib/http/as-documented";
import { sendWebhookTestEvent } from "@/lib/webhooks/send-webhook-test-event";
import { webhookTestResultSchema } from "@/lib/webhooks/webhook-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** Sends a signed `webhook.test` event now and answers how the receiver took it (a failed delivery is still 200). */
export const POST = withApi({ ...ADMIN, params: webhookParams }, async (_request, { params, actor, ip }) => {
  const result = await sendWebhookTestEvent(params.id, actor, ip);
  if (!result.ok) throw notFound();
  const { deliveryId, delivered, statusCode, durationMs, problem } = result;
  return json(asDocumented(webhookTestResultSchema, { deliveryId, delivered, statusCode, durationMs, problem }));
});
