// Test-only access to stored provider tokens by name (production code goes through
// storeSignInTokens, getFreshAccessToken and disconnectProvider).
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { openToken } from "@/lib/provider-tokens/token-cipher";
import { ensureConnection, writeTokenRow } from "@/lib/provider-tokens/token-rows";

export async function setToken(userId: string, provider: string, name: string, value: string): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const connection = await ensureConnection(tx, userId, provider);
    await writeTokenRow(tx, connection, name, value);
  });
}

export async function getToken(userId: string, provider: string, name: string): Promise<string | null> {
  const row = await getDb().providerToken.findFirst({ where: { userId, provider, name } });
  return row ? openToken(row) : null;
}

/** Deletes the user's stored tokens and connection record for one provider; returns the names removed. */
export async function removeTokens(userId: string, provider: string, actor: AuditActor = { type: "system" }): Promise<string[]> {
  return getDb().$transaction(async (tx) => {
    const rows = await tx.providerToken.findMany({ where: { userId, provider }, select: { name: true } });
    await tx.providerConnection.deleteMany({ where: { userId, provider } });
    const names = rows.map((r) => r.name).sort();
    if (names.length) await recordAuditEvent({ action: "provider_token.removed", actor, subjectUserId: userId, provider, tokenNames: names }, tx);
    return names;
  });
}

/** Token names per provider for one user; never values. */
export async function listTokenNames(userId: string): Promise<{ provider: string; names: string[] }[]> {
  const rows = await getDb().providerToken.findMany({
    where: { userId },
    select: { provider: true, name: true },
    orderBy: [{ provider: "asc" }, { name: "asc" }],
  });
  const byProvider = new Map<string, string[]>();
  for (const row of rows) byProvider.set(row.provider, [...(byProvider.get(row.provider) ?? []), row.name]);
  return [...byProvider].map(([provider, names]) => ({ provider, names }));
}
