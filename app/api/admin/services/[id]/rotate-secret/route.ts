import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { serviceClientParams } from "@/lib/api/route-params";
import { rotateServiceSecret, rotateServiceSecretSchema } from "@/lib/service-clients/rotate-service-secret";
import { asDocumented } from "@/lib/http/as-documented";
import { rotatedServiceSecretSchema } from "@/lib/service-clients/service-client-schemas";

export const dynamic = "force-dynamic";

// The new secret is in this response and nowhere else, ever.
export const POST = withApi(
  { auth: { session: true, pat: true }, scope: "admin", admin: true, recentSignIn: true, params: serviceClientParams, optionalBody: rotateServiceSecretSchema },
  async (_request, { params, body, actor, ip }) => {
    const rotated = await rotateServiceSecret(params.id, body.overlapSeconds, actor, ip);
    if (!rotated) throw notFound();
    return json(
      asDocumented(rotatedServiceSecretSchema, { clientSecret: rotated.clientSecret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() }),
    );
  },
);
