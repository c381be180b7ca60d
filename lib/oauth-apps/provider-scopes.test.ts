import { describe, expect, it } from "vitest";
import { describeConsentScopes } from "./consent-scopes";
import { allowsProviderCall, isProviderScope, providerScopeFor, PROVIDER_SCOPES } from "./provider-scopes";

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

  it("covers every catalogue provider (issue 23), not only the three sign-in ones, and nothing else", () => {
    expect(isProviderScope("provider:slack:read")).toBe(true);
    expect(isProviderScope("provider:atlassian:write")).toBe(true);
    expect(isProviderScope("provider:myspace:read")).toBe(false);
    expect(isProviderScope("provider:slack:admin")).toBe(false);
    expect(PROVIDER_SCOPES.length).toBeGreaterThanOrEqual(2 * 15);
    const [slack] = describeConsentScopes(["provider:slack:read"], []);
    expect(slack!.description).toContain("Read your Slack data through Tessera");
  });
});
