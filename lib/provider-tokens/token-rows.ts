import type { Prisma } from "@/lib/db/generated/client";
import { sealToken } from "./token-cipher";

type Tx = Prisma.TransactionClient;

/** The user's connection record for one provider, created on first use. */
export function ensureConnection(tx: Tx, userId: string, provider: string) {
  return tx.providerConnection.upsert({
    where: { userId_provider: { userId, provider } },
    create: { userId, provider },
    update: {},
  });
}

/** Stores one token value as ciphertext (the only way a value reaches the table). */
export async function writeTokenRow(tx: Tx, connection: { id: string; userId: string; provider: string }, name: string, value: string): Promise<void> {
  const { id: connectionId, userId, provider } = connection;
  const sealed = sealToken(userId, provider, name, value);
  await tx.providerToken.upsert({
    where: { connectionId_name: { connectionId, name } },
    create: { connectionId, userId, provider, name, ...sealed },
    update: sealed,
  });
}
