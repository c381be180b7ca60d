import "server-only";
import { parseKeyring, type Keyring } from "@/lib/crypto";

/*
 * The keyring that seals secrets at rest (provider tokens, webhook signing secrets): configuration, so it
 * lives low, and every folder that encrypts reads it from here rather than from the provider-token store.
 */

let cached: { spec: string; keyring: Keyring } | undefined;

/** The keyring from TOKEN_ENCRYPTION_KEYS, parsed once per distinct value (tests and rotation change it). */
export function getTokenKeyring(): Keyring {
  const spec = process.env.TOKEN_ENCRYPTION_KEYS;
  if (!spec) throw new Error("TOKEN_ENCRYPTION_KEYS is not set");
  if (cached?.spec !== spec) cached = { spec, keyring: parseKeyring(spec) };
  return cached.keyring;
}
