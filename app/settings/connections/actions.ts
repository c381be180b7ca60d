"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import type { NoticeCode } from "@/lib/actions/notices";
import { withAction } from "@/lib/actions/with-action";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import type { RevocationOutcome } from "@/lib/provider-tokens/revoke-at-provider";
import { isProviderId } from "@/lib/providers/catalog";
import { setServiceBlock } from "@/lib/service-clients/set-service-block";

const RETURN_TO = "/settings/connections";
const user = { audience: "user", returnTo: RETURN_TO, schema: z.object({ provider: z.string().refine(isProviderId, "Unknown provider") }) } as const;

const DISCONNECT_NOTICE: Record<RevocationOutcome["status"], NoticeCode> = {
  revoked: "disconnected_revoked",
  nothing_to_revoke: "disconnected",
  not_supported: "disconnected_not_supported",
  failed: "disconnected_failed",
};

export const disconnectAction = withAction(user, async ({ provider }, { viewer, ip }) => {
  const report = await disconnectProvider(viewer.id, provider, { type: "user", id: viewer.id }, ip);
  return { notice: DISCONNECT_NOTICE[report.revocation.status], params: { provider } };
});

/** Sign in again with consent, which stores fresh tokens and clears "Needs reconnect". */
export const reconnectAction = withAction(user, async ({ provider }) => {
  await signIn(provider, { redirectTo: RETURN_TO }, { prompt: "consent" });
});

/** Signing in with another provider while signed in links it to this user. */
export const linkAction = withAction(user, async ({ provider }) => {
  await signIn(provider, { redirectTo: RETURN_TO });
});

const serviceBlock = z.object({
  provider: z.string().refine(isProviderId, "Unknown provider"),
  serviceClientId: z.string().min(1).max(100),
  blocked: z.enum(["true", "false"]),
});

/** A person refuses (or allows again) a service acting for them at one provider. */
export const setServiceBlockAction = withAction({ audience: "user", returnTo: RETURN_TO, schema: serviceBlock }, async (input, { viewer, ip }) => {
  const blocked = input.blocked === "true";
  const found = await setServiceBlock(viewer.id, input.serviceClientId, input.provider, blocked, { type: "user", id: viewer.id }, ip);
  if (!found) return { notice: "service_not_found" };
  return { notice: blocked ? "service_blocked" : "service_unblocked", params: { provider: input.provider } };
});
