import "server-only";
import { createHmac } from "node:crypto";

export class HashSecretError extends Error {
  readonly code = "missing_pepper";
  constructor() {
    super("hashSecret needs a non-empty pepper");
    this.name = "HashSecretError";
  }
}

/**
 * HMAC-SHA-256 (hex) of a secret keyed with a named server pepper, PAT_HASH_PEPPER. The pepper
 * keeps a leaked database alone from being used to test guesses. Changing PAT_HASH_PEPPER
 * invalidates every existing PAT: their stored hashes no longer match what users present.
 */
export function hashSecret(secret: string, pepper: string): string {
  // An empty key would still "work" and silently degrade to a plain hash.
  if (!pepper) throw new HashSecretError();
  return createHmac("sha256", pepper).update(secret, "utf8").digest("hex");
}
