import { randomBytes } from "node:crypto";
import { randomBase62 } from "./random-base62";

export type Keyring = { active: { kid: string; key: Buffer }; byKid: Map<string, Buffer> };

export class KeyringError extends Error {
  readonly code = "invalid_keyring";
  constructor(message: string) {
    super(`TOKEN_ENCRYPTION_KEYS: ${message}`);
    this.name = "KeyringError";
  }
}

const KID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `kid1:base64key,kid2:base64key`: the first key encrypts, every key decrypts. Errors name
 * the entry by position and kid, never by key material.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec.split(",").map((entry) => entry.trim()).filter(Boolean);
  if (!entries.length) throw new KeyringError("no keys given (expected kid:base64key,…)");
  const byKid = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(":");
    const kid = colon > 0 ? entry.slice(0, colon) : "";
    if (!KID.test(kid)) throw new KeyringError(`entry ${index + 1} needs a key id of 1-32 letters, digits, _ or - before ':'`);
    const encoded = entry.slice(colon + 1);
    const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) ? Buffer.from(encoded, "base64") : Buffer.alloc(0);
    if (key.length !== 32) throw new KeyringError(`key "${kid}" must be 32 bytes, base64-encoded`);
    if (byKid.has(kid)) throw new KeyringError(`key id "${kid}" appears twice`);
    byKid.set(kid, key);
  });
  const [kid, key] = byKid.entries().next().value as [string, Buffer];
  return { active: { kid, key }, byKid };
}

/** A new `kid:base64key` entry to put first in TOKEN_ENCRYPTION_KEYS. */
export function generateKeyringEntry(kid = `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}${randomBase62(3).slice(0, 4)}`): string {
  if (!KID.test(kid)) throw new KeyringError(`key id "${kid}" is not valid`);
  return `${kid}:${randomBytes(32).toString("base64")}`;
}
