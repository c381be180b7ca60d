import { describe, expect, it } from "vitest";
import { describeTokenNames } from "./describe-token-names";

describe("describeTokenNames", () => {
  it("names the stored tokens in words, access token first", () => {
    expect(describeTokenNames(["access_token", "id_token", "refresh_token"])).toBe("Access token, refresh token, ID token");
    expect(describeTokenNames(["id_token", "access_token"])).toBe("Access token, ID token");
    expect(describeTokenNames(["refresh_token"])).toBe("Refresh token");
  });

  it("shows an unknown name as stored, and nothing for none", () => {
    expect(describeTokenNames(["access_token", "device_secret"])).toBe("Access token, device_secret");
    expect(describeTokenNames([])).toBe("");
  });
});
