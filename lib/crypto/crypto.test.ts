import { describe, expect, it } from "vitest";
import { constantTimeEqual, decryptField, encryptField, generateKeyringEntry, hashSecret, keyIdOf, parseKeyring } from "./index";

const ctx = { table: "ProviderToken", rowId: "user-1:google", field: "access_token" };

describe("envelope encryption", () => {
  const oldEntry = generateKeyringEntry("old");
  const newEntry = generateKeyringEntry("new");
  const keyring = parseKeyring(oldEntry);

  it("round-trips with a fresh IV every time", () => {
    const a = encryptField(keyring, "ya29.secret-value", ctx);
    const b = encryptField(keyring, "ya29.secret-value", ctx);
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret-value");
    expect(decryptField(keyring, a, ctx)).toBe("ya29.secret-value");
    expect(keyIdOf(a)).toBe("old");
  });

  it("fails when any byte is tampered with", () => {
    const stored = encryptField(keyring, "value", ctx);
    const body = stored.split(".")[3]!;
    for (let i = 0; i < body.length; i += 3) {
      const flipped = body.slice(0, i) + (body[i] === "A" ? "B" : "A") + body.slice(i + 1);
      expect(() => decryptField(keyring, stored.replace(body, flipped), ctx)).toThrow(/could not decrypt/);
    }
  });

  it("fails in another row, field or table, or under another kid label", () => {
    const stored = encryptField(keyring, "value", ctx);
    expect(() => decryptField(keyring, stored, { ...ctx, rowId: "user-2:google" })).toThrow();
    expect(() => decryptField(keyring, stored, { ...ctx, field: "refresh_token" })).toThrow();
    expect(() => decryptField(keyring, stored, { ...ctx, table: "Other" })).toThrow();
    const both = parseKeyring(`${newEntry},${oldEntry}`);
    expect(() => decryptField(both, stored.replace(".old.", ".new."), ctx)).toThrow();
    expect(() => decryptField(parseKeyring(newEntry), stored, ctx)).toThrow(/not configured/);
  });

  it("reads old-key values after rotation while the old key stays in the ring", () => {
    const stored = encryptField(keyring, "value", ctx);
    const rotated = parseKeyring(`${newEntry},${oldEntry}`);
    expect(decryptField(rotated, stored, ctx)).toBe("value");
    expect(keyIdOf(encryptField(rotated, "value", ctx))).toBe("new");
  });

  it("explains bad keyrings without echoing key material", () => {
    const material = Buffer.alloc(16, 7).toString("base64");
    for (const spec of ["", "nokid", `k1:${material}`, `k1:${Buffer.alloc(32).toString("base64")},k1:${Buffer.alloc(32).toString("base64")}`, "bad kid!:abc"]) {
      let message = "";
      try {
        parseKeyring(spec);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, spec).toMatch(/^TOKEN_ENCRYPTION_KEYS: /);
      expect(message).not.toContain(material);
    }
  });
});

describe("secret comparison and hashing", () => {
  it("compares in constant time, including different lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });

  it("hashes with the pepper: another pepper gives another hash", () => {
    expect(hashSecret("s", "p1")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret("s", "p1")).not.toBe(hashSecret("s", "p2"));
  });
});
