const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Big-endian base62 of the bytes, left-padded with "0" to `length` when given. */
export function encodeBase62(bytes: Uint8Array, length?: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return encodeBigInt(value, length);
}

export function encodeBase62Number(n: number, length?: number): string {
  return encodeBigInt(BigInt(n), length);
}

function encodeBigInt(value: bigint, length?: number): string {
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return length ? out.padStart(length, "0") : out || "0";
}

export function isBase62(value: string): boolean {
  return /^[0-9A-Za-z]+$/.test(value);
}
