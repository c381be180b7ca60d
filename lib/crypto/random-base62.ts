import "server-only";
import { randomBytes } from "node:crypto";
import { Base62Error, encodeBase62 } from "./base62";

/** Fixed-length base62 text carrying `byteCount` random bytes (43 characters for 32 bytes). */
export function randomBase62(byteCount: number): string {
  if (!Number.isSafeInteger(byteCount) || byteCount < 1) throw new Base62Error("randomBase62 needs a positive whole number of bytes");
  return encodeBase62(randomBytes(byteCount), base62LengthFor(byteCount));
}

// ceil(byteCount * 8 / log2(62)), computed exactly so float rounding can never give a width one short.
function base62LengthFor(byteCount: number): number {
  const largest = 1n << BigInt(byteCount * 8);
  let length = 0;
  for (let capacity = 1n; capacity < largest; capacity *= 62n) length++;
  return length;
}
