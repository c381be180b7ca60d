import { notFound } from "@/lib/http/api-error";
import { withApi } from "@/lib/api/with-api";
import { applicationParams } from "@/lib/api/route-params";
import { deleteApplication } from "@/lib/oauth-apps/delete-application";

export const dynamic = "force-dynamic";

// Deleting revokes every grant and token of the app at once (cascade); someone else's app is a 404.
export const DELETE = withApi(
  { auth: { session: true, pat: true }, scope: "applications:write", params: applicationParams },
  async (_request, { principal, params, actor, ip }) => {
    if (!(await deleteApplication(principal.user.id, params.id, actor, ip))) throw notFound();
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
);
