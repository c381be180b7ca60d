import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { asDocumented } from "@/lib/http/as-documented";
import { revokeAllReportSchema } from "@/lib/admin/admin-schemas";

export const dynamic = "force-dynamic";

export const POST = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (_request, { principal, params, ip }) => {
  const id = userIdSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  const report = await revokeAllCredentials(id.data, { type: "admin", id: principal.user.id }, ip);
  if (!report) throw notFound();
  return json(asDocumented(revokeAllReportSchema, report));
});
