import { asDocumented } from "@/lib/http/as-documented";
import { createdWebhookSchema, webhookListSchema } from "@/lib/webhooks/webhook-schemas";
import { ApiError } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { createWebhookEndpoint, createWebhookSchema, listWebhookEndpoints } from "@/lib/webhooks/manage-webhook-endpoints";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

// The signing secret is in this response and nowhere else, ever.
export const POST = withApi({ ...ADMIN, body: createWebhookSchema }, async (_request, { body, actor, ip }) => {
  const result = await createWebhookEndpoint(body, actor, ip);
  if (!result.ok) throw new ApiError(result.code, result.message);
  return json(asDocumented(createdWebhookSchema, { id: result.id, secret: result.secret }), 201);
});

export const GET = withApi(ADMIN, async () => {
  const webhooks = await listWebhookEndpoints();
  return json(
    asDocumented(webhookListSchema, {
      webhooks: webhooks.map(({ id, url, events, status, disabledReason, createdAt }) => ({
        id,
        url,
        events,
        status: status === "ACTIVE" ? ("active" as const) : ("disabled" as const),
        disabledReason,
        createdAt,
      })),
    }),
  );
});
