import { describe, expect, it } from "vitest";
import { describePermission } from "./describe-permission";

describe("describePermission", () => {
  it("says what each permission lets a service do, naming the provider", () => {
    expect(describePermission("credentials:google:read")).toBe("Obtain people's Google access tokens");
    expect(describePermission("credentials:*:read")).toBe("Obtain people's access tokens at any provider");
    expect(describePermission("proxy:github")).toBe("Call GitHub's API through Tessera");
    expect(describePermission("proxy:*")).toBe("Call any provider's API through Tessera");
    expect(describePermission("tokens:introspect")).toBe("Check whether a Tessera token is valid");
  });

  it("shows an unknown permission as it is", () => {
    expect(describePermission("something:else")).toBe("something:else");
  });
});
