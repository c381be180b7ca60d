import { z } from "zod";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { applicationIdSchema } from "@/lib/oauth-apps/application-schemas";
import { tokenIdParamSchema } from "@/lib/pat/token-schemas";
import { isDeliveryId, isWebhookId } from "@/lib/webhooks/manage-webhook-endpoints";

/*
 * The path segments of the routes under app/api, for withApi's `params`: a value that fails names
 * nothing, and withApi answers 404 not_found before any query (a NUL would be a 500 in PostgreSQL).
 */

export const userParams = z.object({ id: userIdSchema });
/** A PAT id, or `current` (resolveTokenId). */
export const tokenParams = z.object({ id: tokenIdParamSchema });
export const applicationParams = z.object({ id: applicationIdSchema });
/** Service client ids are cuids; the cap keeps a long path out of the query. */
export const serviceClientParams = z.object({ id: z.string().max(100) });
export const webhookParams = z.object({ id: z.string().refine(isWebhookId) });
export const webhookDeliveryParams = z.object({ id: z.string().refine(isWebhookId), deliveryId: z.string().refine(isDeliveryId) });
