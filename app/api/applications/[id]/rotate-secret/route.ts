import { asDocumented } from "@/lib/http/as-documented";
import { rotatedApplicationSecretSchema } from "@/lib/oauth-apps/application-schemas";
import { ApiError, notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { applicationParams } from "@/lib/api/route-params";
import { rotateApplicationSecret, rotateApplicationSecretSchema } from "@/lib/oauth-apps/rotate-application-secret";

export const dynamic = "force-dynamic";

// As for service clients: a new secret shown once; the old one works for the overlap (default 24 h).
export const POST = withApi(
  {
    auth: { session: true, pat: true },
    scope: "applications:write",
    recentSignIn: true,
    params: applicationParams,
    optionalBody: rotateApplicationSecretSchema,
  },
  async (_request, { principal, params, body, actor, ip }) => {
    const rotated = await rotateApplicationSecret(principal.user.id, params.id, body.overlapSeconds, actor, ip);
    if (!rotated.ok) throw rotated.code === "not_found" ? notFound() : new ApiError("public_client", "A public application has no secret to rotate.");
    return json(
      asDocumented(rotatedApplicationSecretSchema, {
        clientSecret: rotated.clientSecret,
        previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString(),
      }),
    );
  },
);
