"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction, withNotice } from "@/lib/actions/user-action";
import { revokeToken } from "@/lib/pat/revoke-token";

const RETURN_TO = "/settings/tokens";

export const revokeTokenAction = defineAction(
  z.object({ tokenId: z.string().regex(/^pat_[A-Za-z0-9]{1,40}$/) }),
  { returnTo: RETURN_TO },
  async ({ tokenId }, { viewer, ip }) => {
    const revoked = await revokeToken(viewer.id, tokenId, { type: "user", id: viewer.id }, ip);
    redirect(withNotice(RETURN_TO, revoked ? "revoked" : "not_found"));
  },
);
