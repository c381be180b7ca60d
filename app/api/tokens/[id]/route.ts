import { ApiError, notFound } from "@/lib/http/api-error";
import { principalActor } from "@/lib/api/principal-actor";
import { withApi } from "@/lib/api/with-api";
import { revokeToken } from "@/lib/pat/revoke-token";
import { tokenIdParamSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

export const DELETE = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "tokens:write" }, async (_request, { principal, params, ip }) => {
  const id = tokenIdParamSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  let tokenId = id.data;
  if (tokenId === "current") {
    if (principal.via !== "pat") throw new ApiError(400, "invalid_request", "`current` means the token that authenticates this request; none was sent.");
    tokenId = principal.token.id;
  }
  const actor = principalActor(principal);
  if (!(await revokeToken(principal.user.id, tokenId, actor, ip))) throw notFound();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
});
