import { decryptField, encryptField, keyIdOf, parseKeyring, type Keyring } from "@/lib/crypto";

let cached: { spec: string; keyring: Keyring } | undefined;

/** The keyring from TOKEN_ENCRYPTION_KEYS, parsed once per distinct value (tests and rotation change it). */
export function getTokenKeyring(): Keyring {
  const spec = process.env.TOKEN_ENCRYPTION_KEYS;
  if (!spec) throw new Error("TOKEN_ENCRYPTION_KEYS is not set");
  if (cached?.spec !== spec) cached = { spec, keyring: parseKeyring(spec) };
  return cached.keyring;
}

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
