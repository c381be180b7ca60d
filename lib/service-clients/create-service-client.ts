import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { proxyAllowSchema } from "@/lib/service-clients/proxy-allow-list";
import { isServicePermission } from "./permissions";
import { generateClientId, generateClientSecret, hashServiceSecret, secretHint } from "./service-secrets";
import { toServiceClientView, type ServiceClientView } from "./service-client-view";

export const servicePermissionsSchema = z
  .array(z.string().refine(isServicePermission, { message: "Unknown permission" }))
  .min(1, "Choose at least one permission")
  .max(10)
  .transform((permissions): string[] => [...new Set(permissions)]);

export const createServiceClientSchema = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(100, "Name is at most 100 characters"),
    description: z.string().trim().max(500).optional(),
    permissions: servicePermissionsSchema,
    rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
    /** Provider API proxy: `<provider>:<path prefix>` entries; empty (the default) allows nothing. */
    proxyAllow: proxyAllowSchema.optional(),
  })
  .strict();

export type CreateServiceClientInput = z.infer<typeof createServiceClientSchema>;
export type CreateServiceClientResult = { ok: true; clientSecret: string; view: ServiceClientView } | { ok: false; code: "name_taken"; message: string };

/** Creates a service client; `clientSecret` is the only copy of the secret that will ever exist. */
export async function createServiceClient(
  input: CreateServiceClientInput,
  admin: AuditActor & { id: string },
  ip: string | null,
): Promise<CreateServiceClientResult> {
  const clientSecret = generateClientSecret();
  try {
    const row = await getDb().$transaction(async (tx) => {
      const created = await tx.serviceClient.create({
        data: {
          clientId: generateClientId(),
          name: input.name,
          description: input.description || null,
          ownerUserId: admin.id,
          permissions: input.permissions,
          rateLimitPerMinute: input.rateLimitPerMinute ?? 600,
          proxyAllow: input.proxyAllow ?? [],
          secretHash: hashServiceSecret(clientSecret),
          secretHint: secretHint(clientSecret),
        },
      });
      await recordAuditEvent(
        {
          action: "service.created",
          actor: admin,
          ip,
          detail: { serviceClientId: created.id, name: created.name, permissions: created.permissions, proxyAllow: created.proxyAllow },
        },
        tx,
      );
      return created;
    });
    return { ok: true, clientSecret, view: toServiceClientView(row) };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { ok: false, code: "name_taken", message: "A service with this name already exists." };
    throw error;
  }
}
