import { verify, type KeyObject } from "node:crypto";

/**
 * GitHub secret scanning's signature: ECDSA P-256 with SHA-256 over the raw body, base64 of the ASN.1
 * DER form, made with the key named by Github-Public-Key-Identifier. False for a missing header, an
 * unknown key id, a signature that is not base64 DER, or one that does not verify.
 */
export function verifyGithubSignature(body: Buffer, keyId: string | null, signature: string | null, keys: Map<string, KeyObject>): boolean {
  if (!keyId || !signature) return false;
  const key = keys.get(keyId);
  if (!key) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature.trim())) return false;
  try {
    return verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature.trim(), "base64"));
  } catch {
    return false;
  }
}
