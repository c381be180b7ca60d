"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { requestOrigin } from "@/lib/auth/request-origin";
import { startConnect } from "@/lib/connect/start-connect";

const schema = z.object({ requestId: z.string().regex(/^[A-Za-z0-9]{1,64}$/) });

/** "Continue to <provider>" on /connect/<id>: off to the provider with this person's state, PKCE and scopes. */
export const continueConnectAction = withAction(
  // A failure (link used, expired, someone else's, provider switched off) is told on the connections page.
  { audience: "user", returnTo: "/settings/connections", schema },
  async ({ requestId }, { viewer }) => {
    const origin = requestOrigin(await headers());
    if (!origin) return { notice: "invalid_input" };
    redirect(await startConnect({ requestId, userId: viewer.id, origin }));
  },
);
