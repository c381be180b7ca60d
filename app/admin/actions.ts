"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { NoticeCode } from "@/lib/actions/notices";
import { withAction } from "@/lib/actions/with-action";
import { adminUserPath } from "@/lib/admin/admin-user-path";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { endSessions, revokeAllCredentials } from "@/lib/admin/revoke-all-credentials";
import { setUserRole } from "@/lib/admin/set-user-role";
import { revokeToken } from "@/lib/pat/revoke-token";
import { deleteWithoutRevocation } from "@/lib/provider-tokens/delete-without-revocation";
import { disconnectProvider } from "@/lib/provider-tokens/disconnect-provider";
import { revokePendingConnection } from "@/lib/provider-tokens/revoke-pending-connection";
import type { RevocationOutcome } from "@/lib/provider-tokens/revoke-at-provider";
import { isCatalogueProvider } from "@/lib/providers/catalog";

const userId = userIdSchema;
const USER_LIST = "/admin/users";
// Every admin action reports on the page of the user it acted on (which shows the notice).
const admin = { audience: "admin", returnTo: adminUserPath } as const;

const PROVIDER_NOTICE: Record<RevocationOutcome["status"], NoticeCode> = {
  revoked: "provider_tokens_revoked",
  nothing_to_revoke: "provider_tokens_deleted",
  not_supported: "provider_tokens_not_revoked",
  failed: "provider_tokens_not_revoked",
};

// The page shows the latest revoke-all report itself (from the audit log), so it only needs a refresh.
// Sudo mode: ending every credential of a person needs a recent sign-in (lib/auth/require-recent-sign-in.ts).
export const revokeAllAction = withAction({ ...admin, recentSignIn: true, schema: z.object({ userId }) }, async (input, { viewer, ip }) => {
  const report = await revokeAllCredentials(input.userId, { type: "admin", id: viewer.id }, ip);
  if (!report) return { notice: "user_not_found", to: USER_LIST };
  revalidatePath(adminUserPath(input));
});

export const revokeProviderAction = withAction(
  { ...admin, schema: z.object({ userId, provider: z.string().refine(isCatalogueProvider) }) },
  async (input, { viewer, ip }) => {
    const report = await disconnectProvider(input.userId, input.provider, { type: "admin", id: viewer.id }, ip);
    return { notice: PROVIDER_NOTICE[report.revocation.status], params: { provider: input.provider } };
  },
);

const pendingRevocation = z.object({ userId, provider: z.string().refine(isCatalogueProvider) });

/** Retries a provider revocation that revoke-all left pending or failed. */
export const retryRevocationAction = withAction({ ...admin, schema: pendingRevocation }, async (input, { viewer, ip }) => {
  const result = await revokePendingConnection(input.userId, input.provider, { type: "admin", id: viewer.id }, ip);
  if (!result) return { notice: "nothing_pending", params: { provider: input.provider } };
  return { notice: result.status === "failed" ? "revocation_failed" : "revocation_done", params: { provider: input.provider } };
});

/** Gives up on the provider: deletes the kept tokens without its confirmation (audited as such). */
export const deleteWithoutRevocationAction = withAction({ ...admin, schema: pendingRevocation }, async (input, { viewer, ip }) => {
  const deleted = await deleteWithoutRevocation(input.userId, input.provider, { type: "admin", id: viewer.id }, ip);
  return { notice: deleted ? "revocation_discarded" : "nothing_pending", params: { provider: input.provider } };
});

export const revokePatAction = withAction(
  { ...admin, schema: z.object({ userId, tokenId: z.string().regex(/^pat_[A-Za-z0-9]{1,40}$/) }) },
  async (input, { viewer, ip }) => {
    const revoked = await revokeToken(input.userId, input.tokenId, { type: "admin", id: viewer.id }, ip);
    return { notice: revoked ? "token_revoked" : "token_not_found" };
  },
);

export const endSessionsAction = withAction({ ...admin, schema: z.object({ userId }) }, async (input, { viewer, ip }) => {
  const ended = await endSessions(input.userId, { type: "admin", id: viewer.id }, ip);
  return { notice: "sessions_ended", params: { count: String(ended) } };
});

export const setRoleAction = withAction({ ...admin, schema: z.object({ userId, role: z.enum(["USER", "ADMIN"]) }) }, async (input, { viewer, ip }) => {
  const result = await setUserRole(input.userId, input.role, { type: "admin", id: viewer.id }, ip);
  if (result.ok) return { notice: "role_changed" };
  return result.code === "not_found" ? { notice: "user_not_found", to: USER_LIST } : { notice: result.code };
});
