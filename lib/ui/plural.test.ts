import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it("uses the singular for exactly one, the plural otherwise (zero included)", () => {
    expect(plural(1, "token exchange")).toBe("1 token exchange");
    expect(plural(0, "application authorization")).toBe("0 application authorizations");
    expect(plural(2, "proxied call")).toBe("2 proxied calls");
  });

  it("takes an irregular plural", () => {
    expect(plural(3, "address", "addresses")).toBe("3 addresses");
    expect(plural(1, "address", "addresses")).toBe("1 address");
  });
});
