import { NextResponse } from "next/server";
import { notFound } from "@/lib/http/api-error";
import { json, parseJsonBody, withApi } from "@/lib/api/with-api";
import { deleteServiceClient } from "@/lib/service-clients/delete-service-client";
import { updateServiceClient, updateServiceClientSchema } from "@/lib/service-clients/update-service-client";
import { asDocumented } from "@/lib/http/as-documented";
import { serviceClientSchema } from "@/lib/service-clients/service-client-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

export const PATCH = withApi<{ id: string }>(ADMIN, async (request, { principal, params, ip }) => {
  const input = await parseJsonBody(request, updateServiceClientSchema);
  const view = await updateServiceClient(params.id.slice(0, 100), input, { type: "admin", id: principal.user.id }, ip);
  if (!view) throw notFound();
  const { id, clientId, name, permissions, status, createdAt, lastUsedAt } = view;
  return json(asDocumented(serviceClientSchema, { id, clientId, name, permissions, status, createdAt: createdAt.toISOString(), lastUsedAt: lastUsedAt?.toISOString() ?? null }));
});

export const DELETE = withApi<{ id: string }>(ADMIN, async (_request, { principal, params, ip }) => {
  if (!(await deleteServiceClient(params.id.slice(0, 100), { type: "admin", id: principal.user.id }, ip))) throw notFound();
  return new NextResponse(null, { status: 204 });
});
