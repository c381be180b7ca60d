import "server-only";
import { createCipheriv, createDecipheriv } from "node:crypto";
import { KEY_ID_PATTERN, type Keyring } from "./keyring";
import { pooledRandomBytes } from "./random-pool";

export type FieldContext = { table: string; rowId: string; field: string };

export class DecryptionError extends Error {
  readonly code = "decryption_failed";
  // Callers pass a fixed reason; the stored value and plaintext never reach the message.
  constructor(reason: string) {
    super(`could not decrypt the stored value: ${reason}`);
    this.name = "DecryptionError";
  }
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * AES-256-GCM under the keyring's active key with a fresh random IV:
 * `v1.<kid>.<iv base64url>.<ciphertext‖tag base64url>`. The associated data binds the value to its
 * table, row, field and kid, so a ciphertext copied elsewhere or relabelled fails to decrypt.
 */
export function encryptField(keyring: Keyring, plaintext: string, ctx: FieldContext): string {
  const { kid, key } = keyring.active;
  const iv = pooledRandomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(kid, ctx));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, kid, iv.toString("base64url"), body.toString("base64url")].join(".");
}

/** Decrypts with whichever key the value names; throws DecryptionError on any mismatch or tampering. */
export function decryptField(keyring: Keyring, stored: string, ctx: FieldContext): string {
  const parts = typeof stored === "string" ? stored.split(".") : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("unknown format or version");
  const [, kid, ivText, bodyText] = parts as [string, string, string, string];
  if (!KEY_ID_PATTERN.test(kid)) throw new DecryptionError("malformed key id");
  const key = keyring.byKid.get(kid);
  if (!key) throw new DecryptionError(`key "${kid}" is not configured`);
  const iv = decodeBase64Url(ivText);
  const body = decodeBase64Url(bodyText);
  if (!iv || !body || iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new DecryptionError("malformed value");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(kid, ctx));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("authentication failed (tampered, wrong key or wrong context)");
  }
}

/** The kid a stored value was encrypted under, or null when it is not a v1 envelope. */
export function keyIdOf(stored: string): string | null {
  const parts = typeof stored === "string" ? stored.split(".") : [];
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const kid = parts[1]!;
  return KEY_ID_PATTERN.test(kid) ? kid : null;
}

/** False means key rotation should re-encrypt this value. */
export function isEncryptedUnderActiveKey(keyring: Keyring, stored: string): boolean {
  return keyIdOf(stored) === keyring.active.kid;
}

// `tessera/v1/<table>/<rowId>/<field>/<kid>`. "%" and "/" inside a component are escaped so no two
// different contexts can produce the same bytes (rowId "a/b" + field "c" vs rowId "a" + field "b/c").
function associatedData(kid: string, ctx: FieldContext): Buffer {
  const escape = (component: string) => component.replaceAll("%", "%25").replaceAll("/", "%2F");
  return Buffer.from(`tessera/${VERSION}/${escape(ctx.table)}/${escape(ctx.rowId)}/${escape(ctx.field)}/${kid}`, "utf8");
}

// Strict and canonical: Buffer.from skips unknown characters and ignores trailing bits, which would
// let some edited strings decode to the original bytes.
function decodeBase64Url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}
