"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import { defineAction, withNotice } from "@/lib/actions/user-action";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import { isProviderId } from "@/lib/providers/catalog";

const RETURN_TO = "/settings/connections";
const providerSchema = z.object({ provider: z.string().refine(isProviderId, "Unknown provider") });

export const disconnectAction = defineAction(providerSchema, { returnTo: RETURN_TO }, async ({ provider }, { viewer, ip }) => {
  const report = await disconnectProvider(viewer.id, provider, { type: "user", id: viewer.id }, ip);
  redirect(withNotice(RETURN_TO, "disconnected", { provider, revocation: report.revocation.status }));
});

/** Sign in again with consent, which stores fresh tokens and clears "Needs reconnect". */
export const reconnectAction = defineAction(providerSchema, { returnTo: RETURN_TO }, async ({ provider }) => {
  await signIn(provider, { redirectTo: RETURN_TO }, { prompt: "consent" });
});

/** Signing in with another provider while signed in links it to this user. */
export const linkAction = defineAction(providerSchema, { returnTo: RETURN_TO }, async ({ provider }) => {
  await signIn(provider, { redirectTo: RETURN_TO });
});
