import "server-only";
import { crc32 } from "node:zlib";
import { encodeBase62Number } from "./base62";
import { randomBase62 } from "./random-base62";

/*
 * Secrets in the PAT scheme (GitHub's): a prefix secret scanners can match, 32 random bytes in base62
 * (43 chars) and a 6-char base62 CRC32 over everything before it, so junk and typos are refused
 * without a database query. Prefix-agnostic: lib/access-tokens decides which prefixes (and webhooks use it).
 */
const RANDOM_BYTES = 32;
export const CHECKSUMMED_RANDOM_LENGTH = 43;
export const CHECKSUM_LENGTH = 6;
const RANDOM_LENGTH = CHECKSUMMED_RANDOM_LENGTH;
const BODY = new RegExp(`^[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

export function generateChecksummedSecret(prefix: string): string {
  const body = prefix + randomBase62(RANDOM_BYTES);
  return body + checksumOf(body);
}

/** True when `raw` has the prefix, the length and a matching checksum. Pure and cheap. */
export function isChecksummedSecret(raw: unknown, prefix: string): raw is string {
  if (typeof raw !== "string" || raw.length !== prefix.length + RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  if (!raw.startsWith(prefix) || !BODY.test(raw.slice(prefix.length))) return false;
  return checksumOf(raw.slice(0, -CHECKSUM_LENGTH)) === raw.slice(-CHECKSUM_LENGTH);
}

/** The 6-char base62 CRC32 of everything before it; the one implementation (PATs use it too). */
export function checksumOf(body: string): string {
  return encodeBase62Number(crc32(body), CHECKSUM_LENGTH);
}
