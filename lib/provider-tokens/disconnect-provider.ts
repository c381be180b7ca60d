import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { getProviderClient } from "@/lib/providers/catalog";
import { ACCESS_TOKEN, REFRESH_TOKEN } from "./token-names";
import { revokeAtProvider, type RevocationOutcome } from "./revoke-at-provider";
import { openToken } from "./token-cipher";

export type DisconnectReport = { provider: string; removedTokenNames: string[]; revocation: RevocationOutcome };

/**
 * "Disconnect API access": revoke the grant at the provider where it can be revoked, then delete
 * the stored tokens either way. The login link (Account) stays, so the user can still sign in.
 */
export async function disconnectProvider(userId: string, provider: string, actor: AuditActor, ip: string | null = null): Promise<DisconnectReport> {
  const db = getDb();
  const rows = await db.providerToken.findMany({ where: { userId, provider } });
  const read = (name: string) => {
    const row = rows.find((r) => r.name === name);
    try {
      return row ? openToken(row) : null;
    } catch {
      return null; // undecryptable (e.g. a removed key): nothing we can revoke, still delete it
    }
  };
  const client = getProviderClient(provider);
  const revocation: RevocationOutcome = !rows.length
    ? { status: "nothing_to_revoke" }
    : client
      ? await revokeAtProvider(client, { accessToken: read(ACCESS_TOKEN), refreshToken: read(REFRESH_TOKEN) })
      : { status: "not_supported", reason: `${provider} is not configured on this server` };

  const removedTokenNames = rows.map((r) => r.name).sort();
  await db.$transaction(async (tx) => {
    await tx.providerConnection.deleteMany({ where: { userId, provider } });
    await recordAuditEvent(
      {
        action: "connection.disconnected",
        actor,
        subjectUserId: userId,
        provider,
        tokenNames: removedTokenNames,
        ip,
        detail: { revocation: revocation.status, ...("reason" in revocation ? { reason: revocation.reason } : {}) },
      },
      tx,
    );
  });
  return { provider, removedTokenNames, revocation };
}
