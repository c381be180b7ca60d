import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN } from "./token-names";
import { ensureConnection, writeTokenRow } from "./token-rows";

export type SignInTokens = {
  accessToken?: string | null;
  refreshToken?: string | null;
  idToken?: string | null;
  expiresAt?: Date | null;
  scopes?: string[];
  tokenType?: string | null;
  /** The provider account the tokens belong to (a second account of the same provider replaces the first). */
  providerAccountId?: string | null;
};

/**
 * Stores what a sign-in returned: replaces access and id tokens, and the refresh token only when a
 * new one came (Google omits it on repeat consent), marks the connection usable again and clears
 * any refresh backoff (a new grant deserves a fresh try).
 */
export async function storeSignInTokens(
  userId: string,
  provider: string,
  tokens: SignInTokens,
  actor: AuditActor = { type: "user", id: userId },
): Promise<string[]> {
  const named: [string, string | null | undefined][] = [
    [ACCESS_TOKEN, tokens.accessToken],
    [REFRESH_TOKEN, tokens.refreshToken],
    [ID_TOKEN, tokens.idToken],
  ];
  const present = named.filter((entry): entry is [string, string] => Boolean(entry[1]));
  if (!present.length) return [];
  return getDb().$transaction(async (tx) => {
    const connection = await ensureConnection(tx, userId, provider);
    if (connection.status === "REVOCATION_PENDING" || connection.status === "REVOCATION_FAILED") {
      // Revoke-all still waits on the provider for the old grant: overwriting its ciphertext would lose the
      // only copy that can revoke it. The new tokens were never stored, so dropping them exposes nothing;
      // API access comes back at the next sign-in once the admin has retried or deleted the old grant.
      await recordAuditEvent(
        {
          action: "provider_token.not_stored",
          actor,
          subjectUserId: userId,
          provider,
          tokenNames: present.map(([name]) => name),
          detail: { reason: "revocation pending" },
        },
        tx,
      );
      return [];
    }
    for (const [name, value] of present) await writeTokenRow(tx, connection, name, value);
    await tx.providerConnection.update({
      where: { id: connection.id },
      data: {
        status: "ACTIVE",
        reconnectReason: null,
        reconnectRequiredAt: null,
        accessTokenExpiresAt: tokens.expiresAt ?? null,
        refreshFailures: 0,
        nextRefreshAt: null,
        lastRefreshError: null,
        ...(tokens.scopes?.length ? { scopes: tokens.scopes } : {}),
        ...(tokens.tokenType ? { tokenType: tokens.tokenType } : {}),
        ...(tokens.providerAccountId ? { providerAccountId: tokens.providerAccountId } : {}),
      },
    });
    const names = present.map(([name]) => name);
    await recordAuditEvent({ action: "provider_token.stored", actor, subjectUserId: userId, provider, tokenNames: names }, tx);
    return names;
  });
}
