"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { revokeApplicationGrant } from "@/lib/oauth-apps/authorized-applications";

export const revokeGrantAction = withAction(
  { audience: "user", returnTo: "/settings/applications/authorized", schema: z.object({ grantId: z.string().regex(/^grt_[A-Za-z0-9]{1,40}$/) }) },
  async ({ grantId }, { viewer, ip }) => {
    const revoked = await revokeApplicationGrant(viewer.id, grantId, { type: "user", id: viewer.id }, ip);
    return { notice: revoked ? "application_revoked" : "grant_not_found" };
  },
);
