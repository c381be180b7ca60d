import { getDb } from "@/lib/db/client";
import { getConnectProvider, providerLabel } from "@/lib/providers/catalog";
import type { ConnectFailure } from "./connect-error";
import { missingScopes } from "./connect-scopes";

export type ConnectRequestView = {
  id: string;
  provider: string;
  providerLabel: string;
  /** What the requester needs that the person's grant does not hold yet. */
  missing: string[];
  /** What the person's grant holds now (kept on the next authorization). */
  granted: string[];
  requestedByName: string | null;
  requestedByKind: string | null;
  expiresAt: Date;
};

/**
 * A connect link as its person sees it on /connect/<id>. Anyone else signed in learns only that it is not theirs
 * (no provider, no requester, no scopes): the link names a person, and the page must not tell a stranger who.
 */
export async function findConnectRequest(
  id: string,
  userId: string,
): Promise<{ ok: true; request: ConnectRequestView } | { ok: false; failure: ConnectFailure }> {
  if (!/^[A-Za-z0-9]{1,64}$/.test(id)) return { ok: false, failure: "not_found" };
  const db = getDb();
  const request = await db.providerConnectRequest.findUnique({ where: { id } });
  if (!request) return { ok: false, failure: "not_found" };
  if (request.userId !== userId) return { ok: false, failure: "other_person" };
  if (request.completedAt) return { ok: false, failure: "used" };
  if (request.expiresAt <= new Date()) return { ok: false, failure: "expired" };
  if (!getConnectProvider(request.provider)) return { ok: false, failure: "provider_disabled" };
  const connection = await db.providerConnection.findUnique({
    where: { userId_provider: { userId, provider: request.provider } },
    select: { scopes: true, status: true },
  });
  const granted = connection?.status === "ACTIVE" ? connection.scopes : [];
  return {
    ok: true,
    request: {
      id: request.id,
      provider: request.provider,
      providerLabel: providerLabel(request.provider),
      missing: missingScopes(granted, request.scopes),
      granted,
      requestedByName: request.requestedByName,
      requestedByKind: request.requestedByKind,
      expiresAt: request.expiresAt,
    },
  };
}
