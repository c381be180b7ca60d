import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { userParams } from "@/lib/api/route-params";
import { revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";
import { asDocumented } from "@/lib/http/as-documented";
import { revokeAllReportSchema } from "@/lib/admin/admin-schemas";

export const dynamic = "force-dynamic";

export const POST = withApi(
  { auth: { session: true, pat: true }, scope: "admin", admin: true, recentSignIn: true, params: userParams },
  async (_request, { params, actor, ip }) => {
    const report = await revokeAllCredentials(params.id, actor, ip);
    if (!report) throw notFound();
    return json(asDocumented(revokeAllReportSchema, report));
  },
);
