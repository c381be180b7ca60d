import { describe, expect, it } from "vitest";
import { pooledRandomBytes } from "./random-pool";

describe("pooledRandomBytes", () => {
  it("never hands out the same bytes twice, across many refills of the pool", () => {
    // 20,000 draws of 16 bytes is ~78 refills of the 4 KiB pool. A repeat or an all-zero draw would mean bytes handed
    // out again: seen red with `offset += size` removed (every draw the same) and with the refill skipped (zeros).
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const hex = pooledRandomBytes(16).toString("hex");
      expect(hex).not.toBe("0".repeat(32));
      seen.add(hex);
    }
    expect(seen.size).toBe(20_000);
  });

  it("gives the caller its own buffer of the size asked, and zero bytes for zero", () => {
    const first = pooledRandomBytes(32);
    const copy = Buffer.from(first);
    pooledRandomBytes(32);
    expect(first).toEqual(copy);
    expect(first).toHaveLength(32);
    // Seen red with the caller handed a view of the pool (`pool.subarray`): the pool zeroes what it hands out.
    expect(first.equals(Buffer.alloc(32))).toBe(false);
    expect(pooledRandomBytes(0)).toHaveLength(0);
    expect(pooledRandomBytes(1000)).toHaveLength(1000);
  });

  it("refuses a size that is not a whole number of bytes", () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => pooledRandomBytes(size)).toThrow(RangeError);
  });
});
