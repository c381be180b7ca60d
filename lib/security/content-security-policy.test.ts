import { describe, expect, it } from "vitest";
import { listAuthorizationOrigins } from "./authorization-origins";
import { buildContentSecurityPolicy } from "./content-security-policy";
import { isHttpsRequest } from "./is-https-request";
import { buildSecurityHeaders, createCspNonce } from "./security-headers";

const directives = (policy: string) => Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
const headersOf = (values: Record<string, string>) => new Headers(values);

describe("buildContentSecurityPolicy", () => {
  const policy = (overrides: Partial<Parameters<typeof buildContentSecurityPolicy>[0]> = {}) =>
    directives(buildContentSecurityPolicy({ nonce: "bm9uY2U=", formActionOrigins: ["https://accounts.google.com"], https: false, ...overrides }));

  it("scripts only with the nonce (no inline, no eval), no framing, forms to Tessera and the providers", () => {
    const csp = policy();
    expect(csp["script-src"]).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["form-action"]).toEqual(["'self'", "https://accounts.google.com"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'none'"]);
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("https upgrades subresources; dev mode allows eval and the hot-reload socket", () => {
    expect(policy({ https: true })).toHaveProperty("upgrade-insecure-requests");
    expect(policy({ dev: true })["script-src"]).toContain("'unsafe-eval'");
    expect(policy({ dev: true })["connect-src"]).toContain("ws:");
    expect(policy()["connect-src"]).toEqual(["'self'"]);
  });

  it("refuses a nonce that could inject a directive", () => {
    expect(() => buildContentSecurityPolicy({ nonce: "x'; script-src *", formActionOrigins: [], https: false })).toThrow();
  });
});

describe("listAuthorizationOrigins", () => {
  it("demo mode: the demo IdP's origin", () => {
    expect(listAuthorizationOrigins({ DEMO_IDP_ISSUER: "http://127.0.0.1:4321/", DEMO_IDP_CLIENT_SECRET: "s" })).toEqual(["http://127.0.0.1:4321"]);
  });

  it("real mode: each enabled provider's authorization origin, Entra's from its issuer", () => {
    expect(
      listAuthorizationOrigins({
        AUTH_GOOGLE_ID: "g",
        AUTH_GOOGLE_SECRET: "g",
        AUTH_MICROSOFT_ENTRA_ID_ID: "m",
        AUTH_MICROSOFT_ENTRA_ID_SECRET: "m",
        AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.us/contoso/v2.0",
        AUTH_GITHUB_ID: "h",
        AUTH_GITHUB_SECRET: "h",
      }),
    ).toEqual(["https://accounts.google.com", "https://login.microsoftonline.us", "https://github.com"]);
    expect(listAuthorizationOrigins({ AUTH_MICROSOFT_ENTRA_ID_ID: "m", AUTH_MICROSOFT_ENTRA_ID_SECRET: "m" })).toEqual(["https://login.microsoftonline.com"]);
    expect(listAuthorizationOrigins({ AUTH_GITHUB_ID: "h", AUTH_GITHUB_SECRET: "h" })).toEqual(["https://github.com"]);
  });

  it("no provider: none", () => {
    expect(listAuthorizationOrigins({})).toEqual([]);
  });
});

describe("isHttpsRequest", () => {
  it("AUTH_URL decides when set; else the forwarded protocol Next.js fills in", () => {
    expect(isHttpsRequest(headersOf({ "x-forwarded-proto": "http" }), { AUTH_URL: "https://tessera.example.com" })).toBe(true);
    expect(isHttpsRequest(headersOf({ "x-forwarded-proto": "https" }), { AUTH_URL: "http://localhost:3000" })).toBe(false);
    expect(isHttpsRequest(headersOf({ "x-forwarded-proto": "https" }), {})).toBe(true);
    expect(isHttpsRequest(headersOf({ "x-forwarded-proto": "https, http" }), {})).toBe(true);
    expect(isHttpsRequest(headersOf({ "x-forwarded-proto": "http" }), {})).toBe(false);
    expect(isHttpsRequest(headersOf({}), {})).toBe(false);
  });
});

describe("buildSecurityHeaders", () => {
  const env = { DEMO_IDP_ISSUER: "http://127.0.0.1:4321", DEMO_IDP_CLIENT_SECRET: "s" };

  it("the fixed headers, the CSP with the nonce, and HSTS only over https", () => {
    const nonce = createCspNonce();
    const http = buildSecurityHeaders({ nonce, https: false, env });
    expect(http).toMatchObject({
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": expect.stringContaining("camera=()"),
    });
    expect(http["Content-Security-Policy"]).toContain(`'nonce-${nonce}'`);
    expect(http["Content-Security-Policy"]).toContain("form-action 'self' http://127.0.0.1:4321");
    expect(http).not.toHaveProperty("Strict-Transport-Security");
    expect(buildSecurityHeaders({ nonce, https: true, env })["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("a fresh nonce each time (128 random bits)", () => {
    const nonces = new Set(Array.from({ length: 50 }, createCspNonce));
    expect(nonces.size).toBe(50);
    expect(Buffer.from([...nonces][0]!, "base64")).toHaveLength(16);
  });
});
