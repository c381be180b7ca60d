import { asDocumented } from "@/lib/http/as-documented";
import { NextResponse } from "next/server";
import { notFound } from "@/lib/http/api-error";
import { json, parseJsonBody, withApi } from "@/lib/api/with-api";
import { deleteWebhookEndpoint, enableWebhookEndpoint, isWebhookId } from "@/lib/webhooks/manage-webhook-endpoints";
import { enabledWebhookSchema, enableWebhookSchema } from "@/lib/webhooks/webhook-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** Re-enables an endpoint that was disabled after 10 failing days. */
export const PATCH = withApi<{ id: string }>(ADMIN, async (request, { principal, params, ip }) => {
  await parseJsonBody(request, enableWebhookSchema);
  if (!isWebhookId(params.id) || !(await enableWebhookEndpoint(params.id, { type: "admin", id: principal.user.id }, ip))) throw notFound();
  return json(asDocumented(enabledWebhookSchema, { id: params.id, status: "active" }));
});

export const DELETE = withApi<{ id: string }>(ADMIN, async (_request, { principal, params, ip }) => {
  if (!isWebhookId(params.id) || !(await deleteWebhookEndpoint(params.id, { type: "admin", id: principal.user.id }, ip))) throw notFound();
  return new NextResponse(null, { status: 204 });
});
