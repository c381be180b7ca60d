import { getTokenKeyring } from "@/lib/config/token-keyring";
import { DecryptionError, decryptField, encryptField } from "@/lib/crypto";

/*
 * The PKCE verifier and nonce of a connect flow in flight, sealed on its ProviderConnectRequest row like provider
 * tokens: a database dump alone cannot finish somebody's authorization. Bound to the row, so a ciphertext copied
 * onto another request does not open.
 */
export type ConnectSecrets = { codeVerifier: string; nonce: string | null };

const context = (requestId: string) => ({ table: "ProviderConnectRequest", rowId: requestId, field: "secretsCiphertext" });

export function sealConnectSecrets(requestId: string, secrets: ConnectSecrets, keyring = getTokenKeyring()): string {
  return encryptField(keyring, JSON.stringify(secrets), context(requestId));
}

/** The sealed secrets, or null when they do not open (key removed, tampered) or are not secrets. */
export function openConnectSecrets(requestId: string, ciphertext: string, keyring = getTokenKeyring()): ConnectSecrets | null {
  try {
    const value = JSON.parse(decryptField(keyring, ciphertext, context(requestId))) as Partial<ConnectSecrets> | null;
    if (typeof value?.codeVerifier !== "string" || (value.nonce !== null && typeof value.nonce !== "string")) return null;
    return { codeVerifier: value.codeVerifier, nonce: value.nonce };
  } catch (error) {
    if (error instanceof DecryptionError || error instanceof SyntaxError) return null;
    throw error;
  }
}
