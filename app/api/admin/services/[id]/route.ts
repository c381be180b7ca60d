import { NextResponse } from "next/server";
import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { serviceClientParams } from "@/lib/api/route-params";
import { deleteServiceClient } from "@/lib/service-clients/delete-service-client";
import { updateServiceClient, updateServiceClientSchema } from "@/lib/service-clients/update-service-client";
import { asDocumented } from "@/lib/http/as-documented";
import { serviceClientSchema } from "@/lib/service-clients/service-client-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

export const PATCH = withApi({ ...ADMIN, params: serviceClientParams, body: updateServiceClientSchema }, async (_request, { params, body, actor, ip }) => {
  const view = await updateServiceClient(params.id, body, actor, ip);
  if (!view) throw notFound();
  const { id, clientId, name, permissions, status, createdAt, lastUsedAt } = view;
  return json(
    asDocumented(serviceClientSchema, {
      id,
      clientId,
      name,
      permissions,
      status,
      createdAt: createdAt.toISOString(),
      lastUsedAt: lastUsedAt?.toISOString() ?? null,
    }),
  );
});

export const DELETE = withApi({ ...ADMIN, params: serviceClientParams }, async (_request, { params, actor, ip }) => {
  if (!(await deleteServiceClient(params.id, actor, ip))) throw notFound();
  return new NextResponse(null, { status: 204 });
});
