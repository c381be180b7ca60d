import { notFound } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { userParams } from "@/lib/api/route-params";
import { getUserSecurity } from "@/lib/admin/get-user-security";
import { asDocumented } from "@/lib/http/as-documented";
import { storedProviderTokensSchema } from "@/lib/admin/admin-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { session: true, pat: true }, scope: "admin", admin: true, params: userParams }, async (_request, { params }) => {
  const security = await getUserSecurity(params.id);
  if (!security) throw notFound();
  return json(
    asDocumented(storedProviderTokensSchema, {
      providers: security.storedTokens.map(({ provider, tokenNames, count, status }) => ({ provider, tokenNames, count, status })),
    }),
  );
});
