import { createHmac } from "node:crypto";

/**
 * HMAC-SHA-256 of a secret under a named server pepper (PAT_HASH_PEPPER). The pepper means a
 * stolen database alone cannot be used to test guesses; changing it invalidates every stored hash.
 */
export function hashSecret(secret: string, pepper: string): string {
  return createHmac("sha256", pepper).update(secret).digest("hex");
}
