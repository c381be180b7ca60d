"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { setApplicationStatus } from "@/lib/oauth-apps/set-application-status";
import { applicationIdSchema } from "@/lib/oauth-apps/application-schemas";

export const setApplicationStatusAction = withAction(
  { audience: "admin", returnTo: "/admin/applications", schema: z.object({ applicationId: applicationIdSchema, status: z.enum(["ACTIVE", "DISABLED"]) }) },
  async (input, { viewer, ip }) => {
    const done = await setApplicationStatus(input.applicationId, input.status, { type: "admin", id: viewer.id }, ip);
    if (!done) return { notice: "application_not_found" };
    return { notice: input.status === "DISABLED" ? "application_disabled" : "application_enabled" };
  },
);
