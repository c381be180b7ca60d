import { applicationIdSchema } from "@/lib/oauth-apps/application-schemas";
import { notFound } from "@/lib/http/api-error";
import { principalActor } from "@/lib/api/principal-actor";
import { withApi } from "@/lib/api/with-api";
import { deleteApplication } from "@/lib/oauth-apps/delete-application";

export const dynamic = "force-dynamic";

// Deleting revokes every grant and token of the app at once (cascade); someone else's app is a 404.
export const DELETE = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "applications:write" }, async (_request, { principal, params, ip }) => {
  if (!applicationIdSchema.safeParse(params.id).success) throw notFound();
  if (!(await deleteApplication(principal.user.id, params.id, principalActor(principal), ip))) throw notFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
