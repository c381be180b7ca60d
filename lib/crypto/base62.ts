import "server-only";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export class Base62Error extends Error {
  readonly code = "base62_out_of_range";
  constructor(message: string) {
    super(message);
    this.name = "Base62Error";
  }
}

/** Big-endian base62 (0-9A-Za-z) of the bytes, left-padded with "0" to `length` when given. */
export function encodeBase62(bytes: Uint8Array, length?: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return encodeBigInt(value, length);
}

/** Base62 of a non-negative safe integer, left-padded with "0" to `length` when given. */
export function encodeBase62Number(n: number, length?: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Base62Error("base62 needs a non-negative safe integer");
  return encodeBigInt(BigInt(n), length);
}

export function isBase62(value: string): boolean {
  return /^[0-9A-Za-z]+$/.test(value);
}

function encodeBigInt(value: bigint, length?: number): string {
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) throw new Base62Error("base62 length must be a non-negative integer");
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  if (length === undefined) return out || "0";
  // Callers rely on fixed-width output (token formats), so a value that does not fit is a bug, not something to widen silently.
  if (out.length > length) throw new Base62Error(`value needs ${out.length} base62 characters, more than ${length}`);
  return out.padStart(length, "0");
}
