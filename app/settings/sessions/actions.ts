"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { signOutOtherSessions, signOutSession } from "@/lib/auth/sign-out-sessions";
import { getViewerSessionToken } from "@/lib/auth/viewer";

const RETURN_TO = "/settings/sessions";

export const signOutSessionAction = withAction(
  { audience: "user", returnTo: RETURN_TO, schema: z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }) },
  async ({ sessionId }, { viewer, ip }) => {
    const result = await signOutSession(sessionId, { userId: viewer.id, currentSessionToken: await getViewerSessionToken(), ip });
    return { notice: result === "signed_out" ? "session_signed_out" : result === "current" ? "invalid_input" : "session_not_found" };
  },
);

export const signOutOtherSessionsAction = withAction({ audience: "user", returnTo: RETURN_TO, schema: z.object({}) }, async (_input, { viewer, ip }) => {
  await signOutOtherSessions({ userId: viewer.id, currentSessionToken: await getViewerSessionToken(), ip });
  return { notice: "sessions_signed_out" };
});
