import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { proxyAllowSchema } from "@/lib/proxy/proxy-allow-list";
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

/** Disabling stops the client's secret and every token issued to it at their next use. */
export async function updateServiceClient(id: string, input: z.infer<typeof updateServiceClientSchema>, actor: AuditActor, ip: string | null): Promise<ServiceClientView | null> {
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
    await recordAuditEvent({ action: "service.updated", actor, ip, detail: { serviceClientId: id, ...input } }, tx);
    return toServiceClientView(row);
  });
}
