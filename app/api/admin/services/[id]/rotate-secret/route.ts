import { notFound } from "@/lib/http/api-error";
import { json, parseOptionalJsonBody, withApi } from "@/lib/api/with-api";
import { rotateServiceSecret, rotateServiceSecretSchema } from "@/lib/service-clients/rotate-service-secret";
import { asDocumented } from "@/lib/http/as-documented";
import { rotatedServiceSecretSchema } from "@/lib/service-clients/service-client-schemas";

export const dynamic = "force-dynamic";

// The new secret is in this response and nowhere else, ever.
export const POST = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (request, { principal, params, ip }) => {
  const input = await parseOptionalJsonBody(request, rotateServiceSecretSchema);
  const rotated = await rotateServiceSecret(params.id.slice(0, 100), input.overlapSeconds, { type: "admin", id: principal.user.id }, ip);
  if (!rotated) throw notFound();
  return json(asDocumented(rotatedServiceSecretSchema, { clientSecret: rotated.clientSecret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() }));
});
