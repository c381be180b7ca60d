import { notFound } from "@/lib/api/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { getUserSecurity } from "@/lib/admin/get-user-security";

export const dynamic = "force-dynamic";

export const GET = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (_request, { params }) => {
  const security = await getUserSecurity(params.id.slice(0, 100));
  if (!security) throw notFound();
  return json({ providers: security.storedTokens.map(({ provider, tokenNames, count, status }) => ({ provider, tokenNames, count, status })) });
});
