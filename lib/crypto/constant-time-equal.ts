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

/**
 * Compares two digests of a fixed, public length (our own HMAC-SHA-256 hex of a presented secret against the stored
 * one) without leaking how much matched. Their length says nothing about the secret, so unlike constantTimeEqual this
 * needs no MAC of its own (issue 26: that was two of the three HMACs on every authenticated request).
 */
export function digestsEqual(a: string, b: string): boolean {
  const bufferA = Buffer.from(a, "latin1");
  const bufferB = Buffer.from(b, "latin1");
  return bufferA.length === bufferB.length && timingSafeEqual(bufferA, bufferB);
}
