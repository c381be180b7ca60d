import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { getProviderClient } from "@/lib/providers/catalog";
import { ACCESS_TOKEN, REFRESH_TOKEN } from "./token-names";
import { revokeAtProvider, type RevocationOutcome } from "./revoke-at-provider";
import { openToken } from "./token-cipher";

/**
 * A user holds one set of tokens per provider. When a sign-in brings tokens of a DIFFERENT account at the
 * same provider (a second GitHub account linked to the same user), the tokens stored for the first account
 * are not silently overwritten: their grant is revoked at the provider (before any transaction: no network
 * call inside one), then they are deleted with an audit event `provider_token.replaced` saying what happened.
 * Returns the revocation outcome, or null when nothing was replaced (same account, first tokens, or stored
 * tokens from before the account was recorded).
 */
export async function revokeReplacedGrant(userId: string, provider: string, providerAccountId: string, actor: AuditActor): Promise<RevocationOutcome | null> {
  const db = getDb();
  const connection = await db.providerConnection.findUnique({ where: { userId_provider: { userId, provider } }, include: { tokens: true } });
  if (!connection?.providerAccountId || connection.providerAccountId === providerAccountId) return null;

  const read = (name: string) => {
    const row = connection.tokens.find((token) => token.name === name);
    try {
      return row ? openToken(row) : null;
    } catch {
      return null; // undecryptable: nothing we can revoke with it
    }
  };
  const client = getProviderClient(provider);
  const revocation: RevocationOutcome = !connection.tokens.length
    ? { status: "nothing_to_revoke" }
    : client
      ? await revokeAtProvider(client, { accessToken: read(ACCESS_TOKEN), refreshToken: read(REFRESH_TOKEN) })
      : { status: "not_supported", reason: `${provider} is not configured on this server` };

  await db.$transaction(async (tx) => {
    // Only if the row still holds the replaced account's tokens (a concurrent sign-in may have moved on).
    const removed = await tx.providerConnection.deleteMany({ where: { id: connection.id, providerAccountId: connection.providerAccountId } });
    if (!removed.count) return;
    await recordAuditEvent(
      {
        action: "provider_token.replaced",
        actor,
        subjectUserId: userId,
        provider,
        tokenNames: connection.tokens.map((token) => token.name).sort(),
        detail: {
          replacedProviderAccountId: connection.providerAccountId,
          newProviderAccountId: providerAccountId,
          revocation: revocation.status,
          ...("reason" in revocation ? { reason: revocation.reason } : {}),
        },
      },
      tx,
    );
  });
  return revocation;
}
