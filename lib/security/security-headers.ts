import { randomBytes } from "node:crypto";
import { listAuthorizationOrigins } from "./authorization-origins";
import { buildContentSecurityPolicy } from "./content-security-policy";
import { API_SECURITY_HEADERS } from "./api-security-headers";

type Env = Readonly<Record<string, string | undefined>>;

/** Features Tessera never uses, switched off for it and anything it could embed. */
export const PERMISSIONS_POLICY = API_SECURITY_HEADERS["Permissions-Policy"]!;
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The security headers of every page and of Auth.js's routes (middleware.ts and the app server set them; JSON API
 * answers get API_SECURITY_HEADERS). HSTS only over https: sent
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
    // The rest is what every JSON answer gets too (one list: lib/security/api-security-headers.ts).
    "X-Frame-Options": API_SECURITY_HEADERS["X-Frame-Options"]!,
    "X-Content-Type-Options": API_SECURITY_HEADERS["X-Content-Type-Options"]!,
    "Referrer-Policy": API_SECURITY_HEADERS["Referrer-Policy"]!,
    "Permissions-Policy": PERMISSIONS_POLICY,
  };
  if (input.https) headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY;
  return headers;
}
