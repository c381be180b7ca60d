import { notFound } from "@/lib/http/api-error";
import { withApi } from "@/lib/api/with-api";
import { resolveTokenId } from "@/lib/api/resolve-token-id";
import { tokenParams } from "@/lib/api/route-params";
import { revokeToken } from "@/lib/pat/revoke-token";

export const dynamic = "force-dynamic";

export const DELETE = withApi(
  { auth: { session: true, pat: true }, scope: "tokens:write", params: tokenParams },
  async (_request, { principal, params, actor, ip }) => {
    if (!(await revokeToken(principal.user.id, resolveTokenId(principal, params.id), actor, ip))) throw notFound();
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
);
