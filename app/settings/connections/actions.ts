"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import type { NoticeCode } from "@/lib/actions/notices";
import { withAction, type ActionOutcome } from "@/lib/actions/with-action";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import type { RevocationOutcome } from "@/lib/provider-tokens/revoke-at-provider";
import { requestOrigin } from "@/lib/auth/request-origin";
import { createConnectRequest } from "@/lib/connect/create-connect-request";
import { startConnect } from "@/lib/connect/start-connect";
import { findCatalogueEntry, getConnectProvider, isCatalogueProvider } from "@/lib/providers/catalog";
import { setServiceBlock } from "@/lib/service-clients/set-service-block";

const RETURN_TO = "/settings/connections";
const user = { audience: "user", returnTo: RETURN_TO, schema: z.object({ provider: z.string().refine(isCatalogueProvider, "Unknown provider") }) } as const;

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

/** Sign in again with consent, which stores fresh tokens and clears "Needs reconnect" (connect-only providers: the connect flow). */
export const reconnectAction = withAction(user, async ({ provider }, { viewer }) => {
  if (findCatalogueEntry(provider)?.use === "connect") return connectThroughTessera(viewer.id, provider, []);
  await signIn(provider, { redirectTo: RETURN_TO }, { prompt: "consent" });
});

const connect = z.object({
  provider: z.string().refine(isCatalogueProvider, "Unknown provider"),
  scopes: z
    .string()
    .max(500)
    .optional()
    .transform((raw) => (raw ?? "").split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\x21-\x7e]{1,200}$/, "A scope is printable ASCII without spaces")).max(30)),
});

/**
 * Tessera's own connect flow (issue 23 §2): a connect-only provider, or more scopes on any enabled one. The person
 * asks for themselves, so no notice; the provider is asked for what the grant holds plus the new scopes.
 */
export const connectAction = withAction({ audience: "user", returnTo: RETURN_TO, schema: connect }, async ({ provider, scopes }, { viewer }) =>
  connectThroughTessera(viewer.id, provider, scopes),
);

async function connectThroughTessera(userId: string, provider: string, scopes: string[]): Promise<ActionOutcome> {
  // Checked before anything is written: a provider this server does not enable leaves no request behind.
  if (!getConnectProvider(provider)) return { notice: "connect_provider_disabled", params: { provider } };
  const origin = requestOrigin(await headers());
  const request = await createConnectRequest({ userId, provider, scopes, requestedBy: null });
  if (!origin) redirect(request.path);
  redirect(await startConnect({ requestId: request.id, userId, origin }));
}

/** Signing in with another provider while signed in links it to this user. */
export const linkAction = withAction(user, async ({ provider }) => {
  await signIn(provider, { redirectTo: RETURN_TO });
});

const serviceBlock = z.object({
  provider: z.string().refine(isCatalogueProvider, "Unknown provider"),
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
