"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction, withNotice } from "@/lib/actions/user-action";
import { userIdSchema } from "@/lib/api/user-id-schema";
import { endSessions, revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";
import { setUserRole } from "@/lib/admin/set-user-role";
import { revokeToken } from "@/lib/pat/revoke-token";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import { isProviderId } from "@/lib/providers/catalog";

const userId = userIdSchema;
const back = (id: string) => `/admin/users/${encodeURIComponent(id)}`;
const options = { admin: true, returnTo: "/admin/users" } as const;

// The page shows the latest revoke-all report itself (from the audit log), so it only needs a refresh.
export const revokeAllAction = defineAction(z.object({ userId }), options, async (input, { viewer, ip }) => {
  const report = await revokeAllCredentials(input.userId, { type: "admin", id: viewer.id }, ip);
  if (!report) redirect(withNotice("/admin/users", "not_found"));
  revalidatePath(back(input.userId));
});

export const revokeProviderAction = defineAction(
  z.object({ userId, provider: z.string().refine(isProviderId) }),
  options,
  async (input, { viewer, ip }) => {
    const report = await disconnectProvider(input.userId, input.provider, { type: "admin", id: viewer.id }, ip);
    redirect(withNotice(back(input.userId), "provider_revoked", { provider: input.provider, revocation: report.revocation.status }));
  },
);

export const revokePatAction = defineAction(z.object({ userId, tokenId: z.string().regex(/^pat_[A-Za-z0-9]{1,40}$/) }), options, async (input, { viewer, ip }) => {
  const revoked = await revokeToken(input.userId, input.tokenId, { type: "admin", id: viewer.id }, ip);
  redirect(withNotice(back(input.userId), revoked ? "pat_revoked" : "not_found"));
});

export const endSessionsAction = defineAction(z.object({ userId }), options, async (input, { viewer, ip }) => {
  const ended = await endSessions(input.userId, { type: "admin", id: viewer.id }, ip);
  redirect(withNotice(back(input.userId), "sessions_ended", { count: String(ended) }));
});

export const setRoleAction = defineAction(z.object({ userId, role: z.enum(["USER", "ADMIN"]) }), options, async (input, { viewer, ip }) => {
  const result = await setUserRole(input.userId, input.role, { type: "admin", id: viewer.id }, ip);
  redirect(withNotice(back(input.userId), result.ok ? "role_changed" : result.code));
});
