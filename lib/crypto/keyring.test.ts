import { describe, expect, it } from "vitest";
import { generateKeyringEntry, KeyringError, parseKeyring } from "./keyring";

const key32 = (fill: number) => Buffer.alloc(32, fill).toString("base64");

function errorOf(spec: string): KeyringError {
  try {
    parseKeyring(spec);
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be rejected`);
}

describe("parseKeyring", () => {
  it("makes the first entry active and keeps every key for decryption", () => {
    const keyring = parseKeyring(` new:${key32(2)} , old:${key32(1)},`);
    expect(keyring.active.kid).toBe("new");
    expect(keyring.active.key).toEqual(Buffer.alloc(32, 2));
    expect([...keyring.byKid.keys()]).toEqual(["new", "old"]);
    expect(keyring.byKid.get("old")).toEqual(Buffer.alloc(32, 1));
  });

  it("accepts URL-safe and unpadded base64", () => {
    const key = Buffer.alloc(32, 0xfb);
    const urlSafe = key.toString("base64url");
    expect(parseKeyring(`k:${urlSafe}`).active.key).toEqual(key);
    expect(parseKeyring(`k:${key.toString("base64").replace(/=+$/, "")}`).active.key).toEqual(key);
  });

  it("rejects empty, garbage, bad kids, wrong lengths, non-canonical base64 and duplicates", () => {
    const cases: Array<[string, RegExp]> = [
      ["", /no keys/],
      [" , ", /no keys/],
      ["garbage", /entry 1 must start with a key id/],
      [`:${key32(1)}`, /entry 1 must start with a key id/],
      [`bad kid!:${key32(1)}`, /entry 1 must start with a key id/],
      [`${"k".repeat(33)}:${key32(1)}`, /entry 1 must start with a key id/],
      [`k1:${Buffer.alloc(16, 7).toString("base64")}`, /must be exactly 32 bytes/],
      [`k1:${Buffer.alloc(33, 7).toString("base64")}`, /must be exactly 32 bytes/],
      [`k1:${key32(7).slice(0, -2)}d=`, /must be exactly 32 bytes/], // trailing bits set: not canonical
      [`k1:${key32(7)}!`, /must be exactly 32 bytes/],
      ["k1:", /must be exactly 32 bytes/],
      [`k1:${key32(1)},k2:nope`, /key "k2" \(entry 2\)/],
      [`k1:${key32(1)},k1:${key32(2)}`, /"k1" appears more than once/],
    ];
    for (const [spec, message] of cases) {
      const error = errorOf(spec);
      expect(error.code, spec).toBe("invalid_keyring");
      expect(error.message, spec).toMatch(/^TOKEN_ENCRYPTION_KEYS: /);
      expect(error.message, spec).toMatch(message);
    }
  });

  it("never puts key material in error messages", () => {
    const material = [Buffer.alloc(16, 9).toString("base64"), Buffer.alloc(31, 5).toString("base64"), key32(3), key32(4)];
    const specs = [
      `k1:${material[0]}`,
      `k1:${material[1]}`,
      `${material[2]}`, // key without a kid
      `${material[2]}:k1`, // swapped
      `k1:${material[3]},k1:${material[2]}`,
      `k1:${material[3]}#`,
    ];
    for (const spec of specs) {
      const message = errorOf(spec).message;
      for (const secret of material) {
        expect(message, spec).not.toContain(secret);
        expect(message, spec).not.toContain(secret.slice(0, 12));
      }
    }
  });
});

describe("generateKeyringEntry", () => {
  it("produces a parseable entry with a dated default kid", () => {
    const entry = generateKeyringEntry();
    const keyring = parseKeyring(entry);
    const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    expect(keyring.active.kid).toMatch(new RegExp(`^k${today}[a-z0-9]{4}$`));
    expect(keyring.active.key).toHaveLength(32);
    expect(generateKeyringEntry()).not.toBe(entry);
  });

  it("uses a given kid and rejects an invalid one", () => {
    expect(parseKeyring(generateKeyringEntry("primary_2")).active.kid).toBe("primary_2");
    expect(() => generateKeyringEntry("no spaces")).toThrow(KeyringError);
  });
});
