import { describe, expect, it } from "vitest";
import { formatUserCode, generateDeviceCode, generateUserCode, isDeviceCode, normalizeUserCode, USER_CODE_ALPHABET } from "./device-authorization-codes";

describe("device authorization codes (RFC 8628 §6.1)", () => {
  it("user codes are 8 consonants shown as XXXX-XXXX, and read back however a person types them", () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(formatUserCode(normalizeUserCode(code)!)).toBe(code);
    }
    expect(normalizeUserCode("bcdf-ghjk")).toBe("BCDFGHJK");
    expect(normalizeUserCode(" BCDF GHJK ")).toBe("BCDFGHJK");
    expect(normalizeUserCode("BCDFGHJK")).toBe("BCDFGHJK");
  });

  it("refuses what cannot be a user code: vowels, digits, wrong length, long input", () => {
    for (const raw of ["BCDF-GHJA", "BCDF-GHJ1", "BCDF-GHJ", "BCDF-GHJKL", "", "B".repeat(40), "BCDF_GHJK"]) expect(normalizeUserCode(raw), raw).toBeNull();
    expect(USER_CODE_ALPHABET).not.toMatch(/[AEIOUY0-9]/);
  });

  it("device codes are 43 base62 characters", () => {
    const code = generateDeviceCode();
    expect(isDeviceCode(code)).toBe(true);
    expect(isDeviceCode(`${code}x`)).toBe(false);
    expect(isDeviceCode(code.replace(/.$/, "-"))).toBe(false);
  });
});
