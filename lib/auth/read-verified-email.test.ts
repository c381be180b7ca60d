import { describe, expect, it } from "vitest";
import { readVerifiedEmail } from "./read-verified-email";

const TENANT = "0b9e4c1a-1111-2222-3333-444455556666";
const ENTRA = { AUTH_MICROSOFT_ENTRA_ID_ID: "m-id", AUTH_MICROSOFT_ENTRA_ID_SECRET: "m-secret" };
const address = "ada@contoso.example";

describe("readVerifiedEmail", () => {
  it("OpenID providers (Google): only email_verified === true counts", () => {
    expect(readVerifiedEmail("google", { email: address, email_verified: true }, {})).toEqual({ status: "verified", email: address });
    expect(readVerifiedEmail("google", { email: address, email_verified: false }, {})).toEqual({ status: "unverified", email: address });
    expect(readVerifiedEmail("google", { email: address }, {})).toEqual({ status: "unverified", email: address });
    expect(readVerifiedEmail("google", { email: address, email_verified: "true" }, {})).toEqual({ status: "unverified", email: address });
    expect(readVerifiedEmail("google", { email_verified: true }, {})).toEqual({ status: "missing" });
  });

  it("GitHub: the primary address's verified flag (filled from the emails API)", () => {
    expect(readVerifiedEmail("github", { id: 1, email: address, email_verified: true }, {})).toEqual({ status: "verified", email: address });
    expect(readVerifiedEmail("github", { id: 1, email: address, email_verified: false }, {})).toEqual({ status: "unverified", email: address });
    expect(readVerifiedEmail("github", { id: 1, email: null, email_verified: false }, {})).toEqual({ status: "missing" });
  });

  it("Entra: preferred_username is never an email", () => {
    const env = { ...ENTRA, AUTH_MICROSOFT_ENTRA_ID_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0` };
    expect(readVerifiedEmail("microsoft-entra-id", { sub: "s", preferred_username: address }, env)).toEqual({ status: "missing" });
  });

  it("Entra: the multi-tenant issuer without an allow-list vouches for nothing", () => {
    for (const issuer of [undefined, "https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/organizations/v2.0"]) {
      const env = { ...ENTRA, ...(issuer ? { AUTH_MICROSOFT_ENTRA_ID_ISSUER: issuer } : {}) };
      expect(readVerifiedEmail("microsoft-entra-id", { email: address, tid: "attacker-tenant" }, env)).toEqual({ status: "unverified", email: address });
    }
  });

  it("Entra: a tenant-specific issuer, or a tid on AUTH_MICROSOFT_ENTRA_ID_TENANTS", () => {
    expect(
      readVerifiedEmail(
        "microsoft-entra-id",
        { email: address, tid: TENANT },
        { ...ENTRA, AUTH_MICROSOFT_ENTRA_ID_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0` },
      ),
    ).toEqual({
      status: "verified",
      email: address,
    });
    const allowList = { ...ENTRA, AUTH_MICROSOFT_ENTRA_ID_TENANTS: `other, ${TENANT.toUpperCase()}` };
    expect(readVerifiedEmail("microsoft-entra-id", { email: address, tid: TENANT }, allowList)).toEqual({ status: "verified", email: address });
    expect(readVerifiedEmail("microsoft-entra-id", { email: address, tid: "attacker-tenant" }, allowList)).toEqual({ status: "unverified", email: address });
    expect(readVerifiedEmail("microsoft-entra-id", { email: address }, allowList)).toEqual({ status: "unverified", email: address });
    // An explicit "not verified" is never overridden by the tenant rule.
    expect(readVerifiedEmail("microsoft-entra-id", { email: address, tid: TENANT, email_verified: false }, allowList)).toEqual({
      status: "unverified",
      email: address,
    });
  });

  it("Entra in demo mode: the demo issuer counts as tenant-specific (it never sends tid)", () => {
    const demo = { DEMO_IDP_ISSUER: "http://127.0.0.1:4321", DEMO_IDP_CLIENT_SECRET: "s" };
    expect(readVerifiedEmail("microsoft-entra-id", { email: address, email_verified: true }, demo)).toEqual({ status: "verified", email: address });
    expect(readVerifiedEmail("microsoft-entra-id", { email: address, email_verified: false }, demo)).toEqual({ status: "unverified", email: address });
  });
});
