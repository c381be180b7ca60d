import { describe, expect, it } from "vitest";
import { Base62Error, encodeBase62, encodeBase62Number, isBase62 } from "./base62";

describe("base62", () => {
  it("encodes big-endian with the 0-9A-Za-z alphabet", () => {
    expect(encodeBase62(new Uint8Array([]))).toBe("0");
    expect(encodeBase62(new Uint8Array([61]))).toBe("z");
    expect(encodeBase62(new Uint8Array([62]))).toBe("10");
    expect(encodeBase62(new Uint8Array([1, 0]))).toBe("48"); // 256 = 4*62 + 8
    expect(encodeBase62Number(0xffffffff)).toBe("4gfFC3");
  });

  it("left-pads to the requested length and refuses values that do not fit", () => {
    expect(encodeBase62(new Uint8Array([0, 0, 1]), 5)).toBe("00001");
    expect(encodeBase62Number(0, 6)).toBe("000000");
    expect(encodeBase62Number(62 ** 3 - 1, 3)).toBe("zzz");
    expect(() => encodeBase62Number(62 ** 3, 3)).toThrow(Base62Error);
    expect(() => encodeBase62Number(-1)).toThrow(Base62Error);
    expect(() => encodeBase62Number(1.5)).toThrow(Base62Error);
  });

  it("round-trips through BigInt for random byte strings", () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (let i = 0; i < 50; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const text = encodeBase62(bytes, 43);
      expect(text).toHaveLength(43);
      const decoded = [...text].reduce((acc, char) => acc * 62n + BigInt(alphabet.indexOf(char)), 0n);
      expect(decoded).toBe(BigInt(`0x${Buffer.from(bytes).toString("hex")}`));
    }
  });

  it("recognises base62 text", () => {
    expect(isBase62("abcXYZ019")).toBe(true);
    expect(isBase62("")).toBe(false);
    expect(isBase62("ab-c")).toBe(false);
    expect(isBase62("é")).toBe(false);
  });
});
