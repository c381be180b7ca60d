"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { revokeAllTokens } from "@/lib/pat/revoke-all-tokens";
import { revokeToken } from "@/lib/pat/revoke-token";
import { tokenDetailPath } from "@/lib/pat/token-detail-path";
import { updateTokenDetails, updateTokenDetailsSchema } from "@/lib/pat/update-token-details";
import { patIdSchema } from "@/lib/pat/token-schemas";

export const revokeTokenAction = withAction(
  // From the detail page (`returnTo` field "detail") the notice shows there; from the table, on the list.
  {
    audience: "user",
    returnTo: (fields) => (fields.returnTo === "detail" ? tokenDetailPath(fields.tokenId) : "/settings/tokens"),
    schema: z.object({ tokenId: patIdSchema, returnTo: z.enum(["list", "detail"]).optional() }),
  },
  async ({ tokenId }, { viewer, ip }) => {
    const revoked = await revokeToken(viewer.id, tokenId, { type: "user", id: viewer.id }, ip);
    return { notice: revoked ? "token_revoked" : "token_not_found" };
  },
);

export const updateTokenDetailsAction = withAction(
  { audience: "user", returnTo: (fields) => tokenDetailPath(fields.tokenId), schema: updateTokenDetailsSchema },
  async (input, { viewer, ip }) => {
    const result = await updateTokenDetails(viewer.id, input, { actor: { type: "user", id: viewer.id }, ip });
    return result.ok
      ? { notice: "token_updated" }
      : result.code === "token_not_found"
        ? { notice: "token_not_found", to: "/settings/tokens" }
        : { notice: result.code };
  },
);

export const revokeAllTokensAction = withAction({ audience: "user", returnTo: "/settings/tokens", schema: z.object({}) }, async (_input, { viewer, ip }) => {
  const count = await revokeAllTokens(viewer.id, { actor: { type: "user", id: viewer.id }, ip });
  return { notice: count > 0 ? "tokens_revoked_all" : "no_tokens_to_revoke" };
});
