import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Both sides are MACed under a per-process random key first: the digests always have the same
// length, so neither the comparison nor an early length check can reveal how much of a guess matched
// or how long the secret is.
const key = randomBytes(32);

/** Compares two secrets (strings as UTF-8) without leaking content or length through timing. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const digestA = createHmac("sha256", key).update(a).digest();
  const digestB = createHmac("sha256", key).update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
