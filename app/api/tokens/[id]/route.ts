import { z } from "zod";
import { ApiError, notFound } from "@/lib/api/api-error";
import { principalActor } from "@/lib/api/principal-actor";
import { withApi } from "@/lib/api/with-api";
import { revokeToken } from "@/lib/pat/revoke-token";

export const dynamic = "force-dynamic";

const idSchema = z.union([z.literal("current"), z.string().regex(/^pat_[A-Za-z0-9]{1,40}$/)]);

export const DELETE = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "tokens:write" }, async (_request, { principal, params, ip }) => {
  const id = idSchema.safeParse(params.id);
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
