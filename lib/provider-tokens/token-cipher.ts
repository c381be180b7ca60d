import "server-only";
import { getTokenKeyring } from "@/lib/config/token-keyring";
import { decryptField, encryptField, keyIdOf } from "@/lib/crypto";

/** Binds each ciphertext to its owner, provider and token name (the natural key of its row). */
function context(userId: string, provider: string, name: string) {
  return { table: "ProviderToken", rowId: `${userId}:${provider}`, field: name };
}

export function sealToken(userId: string, provider: string, name: string, value: string, keyring = getTokenKeyring()) {
  const ciphertext = encryptField(keyring, value, context(userId, provider, name));
  return { ciphertext, keyId: keyIdOf(ciphertext) ?? keyring.active.kid };
}

export function openToken(row: { userId: string; provider: string; name: string; ciphertext: string }, keyring = getTokenKeyring()): string {
  return decryptField(keyring, row.ciphertext, context(row.userId, row.provider, row.name));
}
