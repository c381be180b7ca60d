export type ContentSecurityPolicyInput = {
  /** Fresh per response: Next.js puts it on every script it renders. */
  nonce: string;
  /** Where sign-in forms may lead (the providers' authorization endpoints). */
  formActionOrigins: readonly string[];
  https: boolean;
  /** next dev needs eval (React's debugging) and a websocket (hot reload). */
  dev?: boolean;
};

/**
 * Tessera's Content-Security-Policy. Scripts run only with this response's nonce ('strict-dynamic'
 * lets Next.js's own scripts load its chunks); no plugins, no <base>, no framing at all.
 * Styles stay 'unsafe-inline': Next.js and React write style attributes, and CSS cannot run code.
 */
export function buildContentSecurityPolicy(input: ContentSecurityPolicyInput): string {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(input.nonce)) throw new Error("CSP nonce must be base64");
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${input.nonce}'`, "'strict-dynamic'", ...(input.dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'", "data:"],
    ["connect-src", "'self'", ...(input.dev ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'", ...input.formActionOrigins],
    ["frame-ancestors", "'none'"],
  ];
  if (input.https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}
