import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Both sides are MACed with a per-process key first, so the comparison takes the same time whatever
// the inputs' lengths and contents.
const key = randomBytes(32);

export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const digestA = createHmac("sha256", key).update(a).digest();
  const digestB = createHmac("sha256", key).update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
