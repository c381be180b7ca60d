"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { decideDeviceAuthorization, findPendingDeviceAuthorization } from "@/lib/oauth-apps/device-authorization-approval";
import { DEVICE_VERIFICATION_PATH, deviceVerificationPath } from "@/lib/oauth-apps/device-authorization";

const decisionSchema = z.object({ decision: z.enum(["approve", "deny"]), user_code: z.string().max(32) });

/**
 * The device consent screen's Approve / Deny. The user code is looked up again (the form is the browser's
 * to change), counted like any code typed at /device when it is wrong.
 */
export const decideDeviceAuthorizationAction = withAction(
  { audience: "user", returnTo: DEVICE_VERIFICATION_PATH, schema: decisionSchema },
  async (input, { viewer, ip }) => {
    const lookup = await findPendingDeviceAuthorization(input.user_code, viewer.id, ip);
    if (!lookup.ok) return { notice: lookup.reason === "rate_limited" ? "device_code_rate_limited" : "device_code_invalid" };
    const decided = await decideDeviceAuthorization(viewer.id, lookup.authorization, input.decision, { ip });
    if (decided === "signed_out") redirect(`/signin?callbackUrl=${encodeURIComponent(deviceVerificationPath(input.user_code))}`);
    return { notice: decided === "approved" ? "device_approved" : decided === "denied" ? "device_denied" : "device_code_invalid" };
  },
);
