import { createHmac } from "node:crypto";
import { constantTimeEqual } from "@/lib/crypto/constant-time-equal";

/*
 * Stripe's scheme: `Tessera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed, so a captured delivery cannot be replayed later than the tolerance.
 * This file has no Tessera dependency but the constant-time compare: receivers can copy it.
 */
export const SIGNATURE_HEADER = "Tessera-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhookPayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

export type WebhookVerification =
  { ok: true; timestamp: number } | { ok: false; reason: "malformed_header" | "timestamp_outside_tolerance" | "signature_mismatch" };

/**
 * Verifies a delivery as a receiver should: over the raw body bytes as received, rejecting a
 * timestamp more than `toleranceSeconds` (default 5 min) away from now. Any v1 entry may match (a
 * sender may sign with two secrets during a rotation).
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: { toleranceSeconds?: number; now?: number } = {},
): WebhookVerification {
  if (!header) return { ok: false, reason: "malformed_header" };
  const parts = header.split(",").map((part) => part.trim().split("="));
  const t = parts.find(([key]) => key === "t")?.[1];
  const signatures = parts.filter(([key, value]) => key === "v1" && /^[0-9a-f]{64}$/.test(value ?? "")).map(([, value]) => value!);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: "malformed_header" };
  const timestamp = Number(t);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: "timestamp_outside_tolerance" };
  const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return signatures.some((signature) => constantTimeEqual(signature, expected)) ? { ok: true, timestamp } : { ok: false, reason: "signature_mismatch" };
}
