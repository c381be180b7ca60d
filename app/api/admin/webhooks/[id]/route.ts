import { asDocumented } from "@/lib/http/as-documented";
import { NextResponse } from "next/server";
import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { webhookParams } from "@/lib/api/route-params";
import { deleteWebhookEndpoint, enableWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { enabledWebhookSchema, enableWebhookSchema } from "@/lib/webhooks/webhook-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** Re-enables an endpoint that was disabled after 10 failing days. */
export const PATCH = withApi({ ...ADMIN, params: webhookParams, body: enableWebhookSchema }, async (_request, { params, actor, ip }) => {
  if (!(await enableWebhookEndpoint(params.id, actor, ip))) throw notFound();
  return json(asDocumented(enabledWebhookSchema, { id: params.id, status: "active" }));
});

export const DELETE = withApi({ ...ADMIN, params: webhookParams }, async (_request, { params, actor, ip }) => {
  if (!(await deleteWebhookEndpoint(params.id, actor, ip))) throw notFound();
  return new NextResponse(null, { status: 204 });
});
