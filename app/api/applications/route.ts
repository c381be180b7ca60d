import { asDocumented } from "@/lib/http/as-documented";
import { applicationListSchema, createdApplicationSchema } from "@/lib/oauth-apps/application-schemas";
import { ApiError } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { listOwnApplications } from "@/lib/oauth-apps/list-applications";

export const dynamic = "force-dynamic";

// Registering an app: a signed-in person (same origin) or their PAT with applications:write.
export const POST = withApi(
  { auth: { session: true, pat: true }, scope: "applications:write", recentSignIn: true, body: createApplicationSchema },
  async (_request, { principal, body, ip }) => {
    const result = await createApplication(principal.user.id, body, ip);
    if (!result.ok) throw new ApiError(result.code, result.message);
    // The one response that carries a confidential app's secret.
    return json(asDocumented(createdApplicationSchema, { ...result.view, ...(result.clientSecret ? { clientSecret: result.clientSecret } : {}) }), 201);
  },
);

export const GET = withApi({ auth: { session: true, pat: true }, scope: "applications:read" }, async (_request, { principal }) =>
  json(asDocumented(applicationListSchema, { applications: await listOwnApplications(principal.user.id) })),
);
