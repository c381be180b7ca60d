"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { CLIENT_REGISTRATION_POLICIES, setClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { deleteUnownedApplication } from "@/lib/oauth-apps/delete-unowned-application";
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

/** Deletes a client nobody here registered by hand (a person's own application is only disabled by admins). */
export const deleteUnownedApplicationAction = withAction(
  { audience: "admin", returnTo: "/admin/applications", schema: z.object({ applicationId: applicationIdSchema }) },
  async (input, { viewer, ip }) => {
    const done = await deleteUnownedApplication(input.applicationId, { type: "admin", id: viewer.id }, ip);
    return { notice: done ? "application_deleted" : "application_not_found" };
  },
);

/** Who may use dynamic client registration (RFC 7591): open, admins_only or off. */
export const setClientRegistrationPolicyAction = withAction(
  { audience: "admin", returnTo: "/admin/applications", schema: z.object({ policy: z.enum(CLIENT_REGISTRATION_POLICIES) }) },
  async (input, { viewer, ip }) => {
    await setClientRegistrationPolicy(input.policy, { type: "admin", id: viewer.id }, ip);
    return { notice: "client_registration_policy_saved" };
  },
);
