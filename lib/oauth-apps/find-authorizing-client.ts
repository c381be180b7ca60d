import { getDb } from "@/lib/db/client";
import type { OAuthApplication } from "@/lib/db/generated/client";
import { isAppClientId } from "./app-secrets";
import { isClientMetadataDocumentUrl, resolveMetadataDocumentClient } from "./client-metadata-document";

export type AuthorizingClientRow = OAuthApplication & { owner: { name: string | null; email: string | null } | null };

export const UNKNOWN_CLIENT_MESSAGE = "This application is unknown to Tessera, or it has been disabled.";

/**
 * The client an authorization request names: a `tsr_app_…` id (registered by a person or by RFC 7591), or an
 * https URL (a client id metadata document, fetched when Tessera has no fresh copy). Failures are messages for
 * Tessera's own error page: nothing here is ever sent to a redirect URI.
 */
export async function findAuthorizingClient(
  clientId: string,
  context: { ip?: string | null } = {},
): Promise<{ ok: true; app: AuthorizingClientRow } | { ok: false; reason: string }> {
  if (isAppClientId(clientId)) {
    const app = await getDb().oAuthApplication.findUnique({ where: { clientId }, include: { owner: { select: { name: true, email: true } } } });
    return app && app.status === "ACTIVE" ? { ok: true, app } : { ok: false, reason: UNKNOWN_CLIENT_MESSAGE };
  }
  if (isClientMetadataDocumentUrl(clientId)) {
    const resolved = await resolveMetadataDocumentClient(clientId, { ip: context.ip ?? null });
    if (!resolved.ok) return resolved;
    return resolved.app.status === "ACTIVE" ? { ok: true, app: { ...resolved.app, owner: null } } : { ok: false, reason: UNKNOWN_CLIENT_MESSAGE };
  }
  return { ok: false, reason: UNKNOWN_CLIENT_MESSAGE };
}
