import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { getUserSecurity } from "@/lib/admin/get-user-security";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { asDocumented } from "@/lib/http/as-documented";
import { storedProviderTokensSchema } from "@/lib/admin/admin-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (_request, { params }) => {
  const id = userIdSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  const security = await getUserSecurity(id.data);
  if (!security) throw notFound();
  return json(asDocumented(storedProviderTokensSchema, { providers: security.storedTokens.map(({ provider, tokenNames, count, status }) => ({ provider, tokenNames, count, status })) }));
});
