import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { proxyAllowSchema } from "@/lib/service-clients/proxy-allow-list";
import { revokeServiceTokens } from "./revoke-service-tokens";
import { servicePermissionsSchema } from "./create-service-client";
import { toServiceClientView, type ServiceClientView } from "./service-client-view";

export const updateServiceClientSchema = z
  .object({
    status: z.enum(["active", "disabled"]).optional(),
    permissions: servicePermissionsSchema.optional(),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
    proxyAllow: proxyAllowSchema.optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), { message: "Nothing to change" });

/**
 * Disabling stops the client's secret at once and revokes every token issued to it, in the same
 * transaction: enabling it again brings back the secret, never an old token.
 */
export async function updateServiceClient(
  id: string,
  input: z.infer<typeof updateServiceClientSchema>,
  actor: AuditActor,
  ip: string | null,
): Promise<ServiceClientView | null> {
  return getDb().$transaction(async (tx) => {
    const found = await tx.serviceClient.findUnique({ where: { id }, select: { id: true } });
    if (!found) return null;
    const row = await tx.serviceClient.update({
      where: { id },
      data: {
        status: input.status === undefined ? undefined : input.status === "active" ? "ACTIVE" : "DISABLED",
        permissions: input.permissions,
        rateLimitPerMinute: input.rateLimitPerMinute,
        proxyAllow: input.proxyAllow,
      },
    });
    // After the row update (its lock orders this against a token being minted right now).
    const revoked = input.status === "disabled" ? { revokedSats: await revokeServiceTokens(tx, id, new Date()) } : {};
    await recordAuditEvent({ action: "service.updated", actor, ip, detail: { serviceClientId: id, ...input, ...revoked } }, tx);
    return toServiceClientView(row);
  });
}
