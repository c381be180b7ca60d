/*
 * The security headers of JSON API answers (every /api/* route but Auth.js's and the provider proxy's, and /mcp).
 * They are the same for every answer, so next.config.ts sends them as static headers: API requests skip
 * middleware.ts, whose per-request work (a CSP nonce, a session lookup) only pages need; issue 26 measured
 * that hop at a third of /api/health's throughput. A JSON answer loads nothing, so its CSP allows nothing.
 * Strict-Transport-Security depends on AUTH_URL at run time, not at build: lib/runtime/create-app-server.ts adds it.
 * No imports: next.config.ts loads this file before anything else is compiled.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CONTENT_SECURITY_POLICY,
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=()",
};

/** The paths that get them (next.config.ts's `headers()` sources): /api/* except /api/auth/* and /api/proxy/*, and /mcp. */
export const API_HEADER_SOURCES = ["/api/:path((?!auth/|proxy/).*)", "/mcp"] as const;

/** The same decision for a request path, for the app server (HSTS) and the tests. */
export function isJsonApiPath(pathname: string): boolean {
  if (pathname === "/mcp") return true;
  return pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/") && !pathname.startsWith("/api/proxy/");
}
