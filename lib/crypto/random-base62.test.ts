import { describe, expect, it } from "vitest";
import { randomBase62 } from "./random-base62";

describe("randomBase62", () => {
  it("has a fixed length per byte count: ceil(bytes * 8 / log2(62))", () => {
    for (const byteCount of [1, 3, 12, 16, 32, 64]) {
      const expected = Math.ceil((byteCount * 8) / Math.log2(62));
      for (let i = 0; i < 20; i++) {
        const value = randomBase62(byteCount);
        expect(value).toMatch(/^[0-9A-Za-z]+$/);
        expect(value).toHaveLength(expected);
      }
    }
    expect(randomBase62(32)).toHaveLength(43);
  });

  it("does not repeat and rejects nonsense byte counts", () => {
    expect(new Set(Array.from({ length: 100 }, () => randomBase62(16))).size).toBe(100);
    expect(() => randomBase62(0)).toThrow();
    expect(() => randomBase62(2.5)).toThrow();
  });
});
