import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "./keyring";

export type FieldContext = { table: string; rowId: string; field: string };

export class DecryptionError extends Error {
  readonly code = "decryption_failed";
  constructor(reason: string) {
    super(`could not decrypt the stored value (${reason})`);
    this.name = "DecryptionError";
  }
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

// The associated data ties a ciphertext to where it belongs and to its key id: moved to another
// row, field or table, or relabelled with another kid, authentication fails.
function associatedData(kid: string, ctx: FieldContext): Buffer {
  return Buffer.from(JSON.stringify(["tessera", VERSION, kid, ctx.table, ctx.rowId, ctx.field]), "utf8");
}

/** AES-256-GCM under the active key with a fresh IV: `v1.<kid>.<iv>.<ciphertext+tag>` (base64url). */
export function encryptField(keyring: Keyring, plaintext: string, ctx: FieldContext): string {
  const { kid, key } = keyring.active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(associatedData(kid, ctx));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, kid, iv.toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptField(keyring: Keyring, stored: string, ctx: FieldContext): string {
  const parts = stored.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("unknown format");
  const [, kid, ivText, bodyText] = parts as [string, string, string, string];
  const key = keyring.byKid.get(kid);
  if (!key) throw new DecryptionError(`key "${kid}" is not configured`);
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new DecryptionError("truncated");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(associatedData(kid, ctx));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("authentication failed");
  }
}

export function keyIdOf(stored: string): string | null {
  const parts = stored.split(".");
  return parts.length === 4 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}

export function isEncryptedUnderActiveKey(keyring: Keyring, stored: string): boolean {
  return keyIdOf(stored) === keyring.active.kid;
}
