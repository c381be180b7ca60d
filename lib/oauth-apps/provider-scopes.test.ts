import { describe, expect, it } from "vitest";
import { describeConsentScopes } from "./consent-scopes";
import { allowsProviderCall, providerScopeFor } from "./provider-scopes";

describe("provider scopes (issue 24)", () => {
  it("read allows GET and HEAD only; write allows every method, reads included", () => {
    expect(allowsProviderCall(["provider:github:read"], "github", "GET")).toBe(true);
    expect(allowsProviderCall(["provider:github:read"], "github", "head")).toBe(true);
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(allowsProviderCall(["provider:github:read"], "github", method)).toBe(false);
      expect(allowsProviderCall(["provider:github:write"], "github", method)).toBe(true);
    }
    expect(allowsProviderCall(["provider:github:write"], "github", "GET")).toBe(true);
    // Another provider's scope is no scope here.
    expect(allowsProviderCall(["provider:google:write"], "github", "GET")).toBe(false);
    expect(providerScopeFor("microsoft-entra-id", "DELETE")).toBe("provider:microsoft-entra-id:write");
  });

  it("the consent screen says them in plain words", () => {
    const [read, write] = describeConsentScopes(["provider:github:read", "provider:google:write"], ["provider:github:read"]);
    expect(read).toMatchObject({ name: "provider:github:read", isNew: false, description: expect.stringContaining("Read your GitHub data through Tessera") });
    expect(write).toMatchObject({ isNew: true, description: expect.stringContaining("Read and change your Google data through Tessera") });
  });
});
