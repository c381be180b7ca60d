import { asDocumented } from "@/lib/http/as-documented";
import { NextResponse } from "next/server";
import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { webhookParams } from "@/lib/api/route-params";
import { ApiError } from "@/lib/http/api-error";
import { deleteWebhookEndpoint, enableWebhookEndpoint, updateWebhookEndpoint, updateWebhookSchema } from "@/lib/webhooks/manage-webhook-endpoints";
import { enabledWebhookSchema, enableWebhookSchema, updatedWebhookSchema } from "@/lib/webhooks/webhook-schemas";
import { z } from "zod";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

/** `{status: "active"}` re-enables an endpoint that was disabled after 10 failing days; `{url, events, description}` edits it. */
export const PATCH = withApi(
  { ...ADMIN, params: webhookParams, body: z.union([enableWebhookSchema, updateWebhookSchema]) },
  async (_request, { params, body, actor, ip }) => {
    if ("status" in body) {
      if (!(await enableWebhookEndpoint(params.id, actor, ip))) throw notFound();
      return json(asDocumented(enabledWebhookSchema, { id: params.id, status: "active" }));
    }
    const result = await updateWebhookEndpoint(params.id, body, actor, ip);
    if (!result.ok && result.code === "not_found") throw notFound();
    if (!result.ok) throw new ApiError(result.code, result.message);
    const { id, url, events, description, status } = result.view;
    return json(asDocumented(updatedWebhookSchema, { id, url, events, description, status: status === "ACTIVE" ? "active" : "disabled" }));
  },
);

export const DELETE = withApi({ ...ADMIN, params: webhookParams }, async (_request, { params, actor, ip }) => {
  if (!(await deleteWebhookEndpoint(params.id, actor, ip))) throw notFound();
  return new NextResponse(null, { status: 204 });
});
