"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { revokeToken } from "@/lib/pat/revoke-token";

export const revokeTokenAction = withAction(
  { audience: "user", returnTo: "/settings/tokens", schema: z.object({ tokenId: z.string().regex(/^pat_[A-Za-z0-9]{1,40}$/) }) },
  async ({ tokenId }, { viewer, ip }) => {
    const revoked = await revokeToken(viewer.id, tokenId, { type: "user", id: viewer.id }, ip);
    return { notice: revoked ? "token_revoked" : "token_not_found" };
  },
);
