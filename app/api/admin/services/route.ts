import { ApiError } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { createServiceClient, createServiceClientSchema } from "@/lib/service-clients/create-service-client";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";
import { asDocumented } from "@/lib/http/as-documented";
import { createdServiceClientSchema, serviceClientListSchema } from "@/lib/service-clients/service-client-schemas";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

// The secret is in this response and nowhere else, ever.
export const POST = withApi({ ...ADMIN, recentSignIn: true, body: createServiceClientSchema }, async (_request, { body, actor, ip }) => {
  const result = await createServiceClient(body, actor, ip);
  if (!result.ok) throw new ApiError(result.code, result.message);
  const { id, clientId, name, permissions, createdAt } = result.view;
  return json(
    asDocumented(createdServiceClientSchema, { id, clientId, clientSecret: result.clientSecret, name, permissions, createdAt: createdAt.toISOString() }),
    201,
  );
});

export const GET = withApi(ADMIN, async () => {
  const services = await listServiceClients();
  return json(
    asDocumented(serviceClientListSchema, {
      services: services.map(({ id, clientId, name, permissions, status, createdAt, lastUsedAt }) => ({
        id,
        clientId,
        name,
        permissions,
        status,
        createdAt: createdAt.toISOString(),
        lastUsedAt: lastUsedAt?.toISOString() ?? null,
      })),
    }),
  );
});
