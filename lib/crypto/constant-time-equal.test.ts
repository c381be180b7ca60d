import { describe, expect, it } from "vitest";
import { constantTimeEqual, digestsEqual } from "./constant-time-equal";

describe("constantTimeEqual", () => {
  it("is true only for equal inputs, including across lengths and types", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("", "a")).toBe(false);
    expect(constantTimeEqual("a".repeat(10_000), "a")).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual("abc", new TextEncoder().encode("abc"))).toBe(true);
  });

  // Seen red with digestsEqual comparing lengths alone (its callers' lookups are by hash, so only this test sees it).
  it("digestsEqual: true only for the same digest; a different or shorter one is false", () => {
    const digest = "a".repeat(63) + "b";
    expect(digestsEqual(digest, "a".repeat(63) + "b")).toBe(true);
    expect(digestsEqual(digest, "a".repeat(64))).toBe(false);
    expect(digestsEqual(digest, "b" + "a".repeat(62) + "b")).toBe(false);
    expect(digestsEqual(digest, digest.slice(0, 63))).toBe(false);
    expect(digestsEqual(digest, "")).toBe(false);
  });
});
