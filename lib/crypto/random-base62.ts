import { randomBytes } from "node:crypto";
import { encodeBase62 } from "./base62";

/** Fixed-length base62 text carrying `byteCount` random bytes. */
export function randomBase62(byteCount: number): string {
  return encodeBase62(randomBytes(byteCount), Math.ceil((byteCount * 8) / Math.log2(62)));
}
