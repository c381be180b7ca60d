import "server-only";
import { Base62Error, encodeBase62 } from "./base62";
import { pooledRandomBytes } from "./random-pool";

/** Fixed-length base62 text carrying `byteCount` random bytes (43 characters for 32 bytes). */
export function randomBase62(byteCount: number): string {
  if (!Number.isSafeInteger(byteCount) || byteCount < 1) throw new Base62Error("randomBase62 needs a positive whole number of bytes");
  return encodeBase62(pooledRandomBytes(byteCount), base62LengthFor(byteCount));
}

const lengths = new Map<number, number>();

// ceil(byteCount * 8 / log2(62)), computed exactly so float rounding can never give a width one short; once per size
// (the bigint loop took ~1.3 µs for 32 bytes, on every token and audit id).
function base62LengthFor(byteCount: number): number {
  const known = lengths.get(byteCount);
  if (known !== undefined) return known;
  const largest = 1n << BigInt(byteCount * 8);
  let length = 0;
  for (let capacity = 1n; capacity < largest; capacity *= 62n) length++;
  lengths.set(byteCount, length);
  return length;
}
