import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { createNotification } from "@/lib/notifications/create-notification";
import { providerLabel } from "@/lib/providers/catalog";

export type ConnectRequester = { kind: "service" | "application" | "user"; id: string; name: string };

/** A link a service hands to the person stays valid this long; one the person starts themselves is followed at once. */
const LINK_LIFETIME_MS = 24 * 3600_000;

/** The connect page of a request: prefix the request's origin for an absolute URL. */
export const connectPath = (id: string) => `/connect/${id}`;

/**
 * A request to connect `provider` (or to add scopes to it) for one person. When a service or an MCP client asks
 * (requestedBy), the person is told on the page, by mail when configured, and by webhook
 * (`connection.scopes_requested`): "Service X asks for more Google access". A requester asking again for the same
 * scopes while its link is still open gets that same link, so a retrying service does not flood the person.
 */
export async function createConnectRequest(input: {
  userId: string;
  provider: string;
  scopes: string[];
  requestedBy: ConnectRequester | null;
}): Promise<{ id: string; path: string }> {
  const scopes = [...new Set(input.scopes)].sort();
  const { requestedBy } = input;
  const db = getDb();
  if (requestedBy && requestedBy.kind !== "user") {
    const open = await db.providerConnectRequest.findFirst({
      where: {
        userId: input.userId,
        provider: input.provider,
        requestedByKind: requestedBy.kind,
        requestedById: requestedBy.id,
        scopes: { equals: scopes },
        completedAt: null,
        startedAt: null,
        expiresAt: { gt: new Date() },
      },
      select: { id: true },
    });
    if (open) return { id: open.id, path: connectPath(open.id) };
  }
  const id = randomBase62(24);
  const asked = requestedBy && requestedBy.kind !== "user" ? requestedBy : null;
  await db.$transaction(async (tx) => {
    await tx.providerConnectRequest.create({
      data: {
        id,
        userId: input.userId,
        provider: input.provider,
        scopes,
        requestedByKind: requestedBy?.kind ?? null,
        requestedById: requestedBy?.id ?? null,
        requestedByName: requestedBy?.name ?? null,
        expiresAt: new Date(Date.now() + LINK_LIFETIME_MS),
      },
    });
    if (!asked) return;
    const label = providerLabel(input.provider);
    await createNotification(
      {
        userId: input.userId,
        kind: "connection.scopes_requested",
        // No scopes: an MCP client found nothing connected there (connect on first use); else what is missing.
        title: scopes.length ? `${asked.name} asks for more ${label} access` : `${asked.name} asks for access to ${label}`,
        body: `${asked.name} needs ${scopes.length ? scopes.join(", ") : "API access"} at ${label}. Open ${connectPath(id)} in Tessera to allow it, or ignore this notice.`,
        dedupeKey: `connect-request:${id}`,
      },
      tx,
    );
    await recordAuditEvent(
      {
        action: "connection.scopes_requested",
        actor: { type: asked.kind, id: asked.id },
        subjectUserId: input.userId,
        provider: input.provider,
        detail: { requestId: id, requestedBy: asked.name, scopes },
      },
      tx,
    );
  });
  return { id, path: connectPath(id) };
}
