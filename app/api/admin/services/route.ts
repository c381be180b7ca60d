import { json, parseJsonBody, withApi } from "@/lib/api/with-api";
import { domainError } from "@/lib/api/to-error-response";
import { createServiceClient, createServiceClientSchema } from "@/lib/services/create-service-client";
import { listServiceClients } from "@/lib/services/list-service-clients";

export const dynamic = "force-dynamic";

const ADMIN = { auth: { session: true, pat: true }, scope: "admin", admin: true } as const;

// The secret is in this response and nowhere else, ever.
export const POST = withApi(ADMIN, async (request, { principal, ip }) => {
  const input = await parseJsonBody(request, createServiceClientSchema);
  const result = await createServiceClient(input, { type: "admin", id: principal.user.id }, ip);
  if (!result.ok) throw domainError(result.code, result.message);
  const { id, clientId, name, permissions, createdAt } = result.view;
  return json({ id, clientId, clientSecret: result.clientSecret, name, permissions, createdAt }, 201);
});

export const GET = withApi(ADMIN, async () => {
  const services = await listServiceClients();
  return json({
    services: services.map(({ id, clientId, name, permissions, status, createdAt, lastUsedAt }) => ({ id, clientId, name, permissions, status, createdAt, lastUsedAt })),
  });
});
