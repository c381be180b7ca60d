import "server-only";
import { randomBytes, randomInt } from "node:crypto";

export type Keyring = { active: { kid: string; key: Buffer }; byKid: Map<string, Buffer> };

export class KeyringError extends Error {
  readonly code = "invalid_keyring";
  constructor(message: string) {
    super(`TOKEN_ENCRYPTION_KEYS: ${message}`);
    this.name = "KeyringError";
  }
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/**
 * Parses `kid1:base64key,kid2:base64key`: the first key encrypts, every key decrypts (so old
 * ciphertexts stay readable during rotation). Errors name an entry by position or by its validated
 * kid, never by anything that could be key material.
 */
export function parseKeyring(spec: string): Keyring {
  // Blank entries (a trailing comma, a wrapped env line) are skipped rather than fatal.
  const entries = String(spec ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError("no keys given (expected kid:base64key[,kid:base64key…])");

  const byKid = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(":");
    const kid = colon >= 0 ? entry.slice(0, colon).trim() : "";
    if (!KEY_ID_PATTERN.test(kid)) {
      throw new KeyringError(`entry ${index + 1} must start with a key id of 1-32 letters, digits, "_" or "-" followed by ":"`);
    }
    if (byKid.has(kid)) throw new KeyringError(`key id "${kid}" appears more than once`);
    const key = decodeKey(entry.slice(colon + 1).trim());
    if (!key) throw new KeyringError(`key "${kid}" (entry ${index + 1}) must be exactly ${KEY_BYTES} bytes, base64-encoded`);
    byKid.set(kid, key);
  });

  const [kid, key] = byKid.entries().next().value as [string, Buffer];
  return { active: { kid, key }, byKid };
}

/** A fresh `kid:base64key` entry to put first in TOKEN_ENCRYPTION_KEYS; the default kid is `k<yyyymmdd><4 random chars>`. */
export function generateKeyringEntry(kid: string = generateKeyId()): string {
  if (!KEY_ID_PATTERN.test(kid)) throw new KeyringError('the key id must be 1-32 letters, digits, "_" or "-"');
  return `${kid}:${randomBytes(KEY_BYTES).toString("base64")}`;
}

function generateKeyId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  let suffix = "";
  for (let i = 0; i < 4; i++) suffix += alphabet[randomInt(alphabet.length)];
  return `k${new Date().toISOString().slice(0, 10).replaceAll("-", "")}${suffix}`;
}

// Standard or URL-safe base64, padding optional, and canonical: Buffer.from alone skips stray
// characters and ignores trailing bits, which would let a mistyped key decode "successfully".
function decodeKey(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const unpadded = text.replace(/=+$/, "").replaceAll("-", "+").replaceAll("_", "/");
  const key = Buffer.from(unpadded, "base64");
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== unpadded) return null;
  return key;
}
