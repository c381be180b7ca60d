import "server-only";
import { decryptField, encryptField, generateChecksummedSecret, keyIdOf } from "@/lib/crypto";
import { getTokenKeyring } from "@/lib/config/token-keyring";

/** `tsr_whsec_…`: the HMAC key a receiver verifies with. Kept encrypted (signing needs the value back). */
export const WEBHOOK_SECRET_PREFIX = "tsr_whsec_";

export function generateWebhookSecret(): string {
  return generateChecksummedSecret(WEBHOOK_SECRET_PREFIX);
}

function context(endpointId: string) {
  return { table: "WebhookEndpoint", rowId: endpointId, field: "secret" };
}

export function sealWebhookSecret(endpointId: string, secret: string) {
  const keyring = getTokenKeyring();
  const ciphertext = encryptField(keyring, secret, context(endpointId));
  return { secretCiphertext: ciphertext, secretKeyId: keyIdOf(ciphertext) ?? keyring.active.kid, secretHint: secret.slice(-4) };
}

export function openWebhookSecret(endpoint: { id: string; secretCiphertext: string }): string {
  return decryptField(getTokenKeyring(), endpoint.secretCiphertext, context(endpoint.id));
}
