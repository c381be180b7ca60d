import { z } from "zod";
import { SERVICE_PERMISSIONS } from "./permissions";

const isoDate = z.iso.datetime().meta({ example: "2026-11-24T12:00:00.000Z" });
const permissions = z.array(z.string()).meta({ description: `Any of: ${SERVICE_PERMISSIONS.join(", ")}.`, example: ["credentials:github:read"] });
const clientId = z.string().meta({ example: "tsr_svc_4fK2pQ9sLx1mN7aB" });

/**
 * A service client as lists and updates show it: never its secret or hash. Issue 10's exact shape: the
 * proxy allow-list is set through the request bodies and shown on /admin/services, not answered here.
 */
export const serviceClientSchema = z
  .object({
    id: z.string(),
    clientId,
    name: z.string().meta({ example: "billing-worker" }),
    permissions,
    status: z.enum(["active", "disabled"]),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
  })
  .meta({ id: "ServiceClient" });

export const serviceClientListSchema = z.object({ services: z.array(serviceClientSchema) }).meta({ id: "ServiceClientList" });

export const createdServiceClientSchema = z
  .object({
    id: z.string(),
    clientId,
    clientSecret: z.string().meta({ description: "Shown in this response only, never again.", example: "tsr_cs_…" }),
    name: z.string(),
    permissions,
    createdAt: isoDate,
  })
  .meta({ id: "CreatedServiceClient" });

export const rotatedServiceSecretSchema = z
  .object({
    clientSecret: z.string().meta({ description: "The new secret: shown in this response only.", example: "tsr_cs_…" }),
    previousSecretExpiresAt: isoDate.meta({ description: "Until when the previous secret keeps working." }),
  })
  .meta({ id: "RotatedServiceSecret" });
