import { asDocumented } from "@/lib/http/as-documented";
import { applicationIdSchema, rotatedApplicationSecretSchema } from "@/lib/oauth-apps/application-schemas";
import { ApiError, notFound } from "@/lib/http/api-error";
import { principalActor } from "@/lib/api/principal-actor";
import { json, parseOptionalJsonBody, withApi } from "@/lib/api/with-api";
import { rotateApplicationSecret, rotateApplicationSecretSchema } from "@/lib/oauth-apps/rotate-application-secret";

export const dynamic = "force-dynamic";

// As for service clients: a new secret shown once; the old one works for the overlap (default 24 h).
export const POST = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "applications:write" }, async (request, { principal, params, ip }) => {
  const input = await parseOptionalJsonBody(request, rotateApplicationSecretSchema);
  if (!applicationIdSchema.safeParse(params.id).success) throw notFound();
  const rotated = await rotateApplicationSecret(principal.user.id, params.id, input.overlapSeconds, principalActor(principal), ip);
  if (!rotated.ok) {
    if (rotated.code === "not_found") throw notFound();
    throw new ApiError(400, "public_client", "A public application has no secret to rotate.");
  }
  return json(asDocumented(rotatedApplicationSecretSchema, { clientSecret: rotated.clientSecret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() }));
});
