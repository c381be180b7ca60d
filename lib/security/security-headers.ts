import { randomBytes } from "node:crypto";
import { listAuthorizationOrigins } from "./authorization-origins";
import { buildContentSecurityPolicy } from "./content-security-policy";

type Env = Readonly<Record<string, string | undefined>>;

/** Features Tessera never uses, switched off for it and anything it could embed. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()";
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The security headers of every response (middleware.ts sets them). HSTS only over https: sent
 * over plain http it would be ignored, and on localhost it would pin the browser to https.
 */
export function buildSecurityHeaders(input: { nonce: string; https: boolean; env?: Env }): Record<string, string> {
  const env = input.env ?? process.env;
  const headers: Record<string, string> = {
    "Content-Security-Policy": buildContentSecurityPolicy({
      nonce: input.nonce,
      formActionOrigins: listAuthorizationOrigins(env),
      https: input.https,
      dev: env.NODE_ENV === "development",
    }),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
  };
  if (input.https) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return headers;
}
