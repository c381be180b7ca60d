import { notFound } from "@/lib/api/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";

export const dynamic = "force-dynamic";

export const POST = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (_request, { principal, params, ip }) => {
  const report = await revokeAllCredentials(params.id.slice(0, 100), { type: "admin", id: principal.user.id }, ip);
  if (!report) throw notFound();
  return json(report);
});
