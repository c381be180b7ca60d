import { describe, expect, it } from "vitest";
import { DecryptionError, decryptField, encryptField, isEncryptedUnderActiveKey, keyIdOf } from "./envelope";
import { generateKeyringEntry, parseKeyring } from "./keyring";

const ctx = { table: "ProviderToken", rowId: "user-1:google", field: "access_token" };
const oldEntry = generateKeyringEntry("old");
const newEntry = generateKeyringEntry("new");
const oldRing = parseKeyring(oldEntry);
const rotatedRing = parseKeyring(`${newEntry},${oldEntry}`);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function decryptionErrorOf(run: () => unknown): DecryptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof DecryptionError) return error;
    throw error;
  }
  throw new Error("expected decryption to fail");
}

describe("encryptField / decryptField", () => {
  it("round-trips, including empty and non-ASCII values", () => {
    for (const value of ["ya29.secret-value", "", "ünïcødé 🔑", "x".repeat(5000)]) {
      const stored = encryptField(oldRing, value, ctx);
      expect(stored).toMatch(/^v1\.old\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(decryptField(oldRing, stored, ctx)).toBe(value);
    }
  });

  it("uses a fresh IV every time, so equal plaintexts give different ciphertexts", () => {
    const values = Array.from({ length: 50 }, () => encryptField(oldRing, "same", ctx));
    expect(new Set(values).size).toBe(50);
    expect(new Set(values.map((value) => value.split(".")[2])).size).toBe(50);
    expect(values[0]).not.toContain("same");
  });

  it("fails when any character of the IV or ciphertext is changed", () => {
    for (const plaintext of ["value", "a longer value of 23 b"]) {
      const stored = encryptField(oldRing, plaintext, ctx);
      const prefixLength = "v1.old.".length;
      for (let i = prefixLength; i < stored.length; i++) {
        if (stored[i] === ".") continue;
        const replacement = BASE64URL[(BASE64URL.indexOf(stored[i]!) + 1) % 64]!;
        const tampered = stored.slice(0, i) + replacement + stored.slice(i + 1);
        expect(() => decryptField(oldRing, tampered, ctx), `position ${i}`).toThrow(DecryptionError);
      }
      expect(() => decryptField(oldRing, stored.slice(0, -1), ctx)).toThrow(DecryptionError);
      expect(() => decryptField(oldRing, `${stored}A`, ctx)).toThrow(DecryptionError);
    }
  });

  it("fails in another table, row or field", () => {
    const stored = encryptField(oldRing, "value", ctx);
    expect(() => decryptField(oldRing, stored, { ...ctx, rowId: "user-2:google" })).toThrow(DecryptionError);
    expect(() => decryptField(oldRing, stored, { ...ctx, field: "refresh_token" })).toThrow(DecryptionError);
    expect(() => decryptField(oldRing, stored, { ...ctx, table: "Other" })).toThrow(DecryptionError);
  });

  it("keeps context components apart even when they contain '/'", () => {
    const stored = encryptField(oldRing, "value", { table: "t", rowId: "a/b", field: "c" });
    expect(decryptField(oldRing, stored, { table: "t", rowId: "a/b", field: "c" })).toBe("value");
    expect(() => decryptField(oldRing, stored, { table: "t", rowId: "a", field: "b/c" })).toThrow(DecryptionError);
    expect(() => decryptField(oldRing, stored, { table: "t/a", rowId: "b", field: "c" })).toThrow(DecryptionError);
  });

  it("binds the kid: relabelling a ciphertext with another configured kid fails", () => {
    const stored = encryptField(oldRing, "value", ctx);
    const sameKeyTwice = parseKeyring(`${newEntry.split(":")[0]}:${oldEntry.split(":")[1]},${oldEntry}`);
    expect(() => decryptField(sameKeyTwice, stored.replace(".old.", ".new."), ctx)).toThrow(DecryptionError);
    expect(decryptField(sameKeyTwice, stored, ctx)).toBe("value");
  });

  it("rejects unknown kids, unknown versions and garbage", () => {
    const stored = encryptField(oldRing, "value", ctx);
    expect(() => decryptField(parseKeyring(newEntry), stored, ctx)).toThrow(/key "old" is not configured/);
    for (const bad of [stored.replace(/^v1/, "v2"), "", "plain text", "v1.old.abc", "v1..aaaa.bbbb", `v1.bad kid!.${stored.split(".").slice(2).join(".")}`]) {
      expect(() => decryptField(oldRing, bad, ctx), bad).toThrow(DecryptionError);
    }
  });

  it("reads old-key values after rotation while the old key stays in the ring, and writes under the new key", () => {
    const stored = encryptField(oldRing, "value", ctx);
    expect(decryptField(rotatedRing, stored, ctx)).toBe("value");
    const rewritten = encryptField(rotatedRing, "value", ctx);
    expect(keyIdOf(rewritten)).toBe("new");
    expect(() => decryptField(oldRing, rewritten, ctx)).toThrow(DecryptionError);
  });

  it("never puts plaintext or ciphertext in error messages", () => {
    const stored = encryptField(oldRing, "very-secret-plaintext", ctx);
    const [, , iv, body] = stored.split(".") as [string, string, string, string];
    const errors = [
      decryptionErrorOf(() => decryptField(oldRing, stored, { ...ctx, rowId: "other" })),
      decryptionErrorOf(() => decryptField(oldRing, `v1.old.${iv}.${body.slice(0, -2)}xx`, ctx)),
      decryptionErrorOf(() => decryptField(oldRing, stored.replace(/^v1/, "v9"), ctx)),
      decryptionErrorOf(() => decryptField(parseKeyring(newEntry), stored, ctx)),
      decryptionErrorOf(() => decryptField(oldRing, "very-secret-plaintext", ctx)),
    ];
    for (const error of errors) {
      expect(error.code).toBe("decryption_failed");
      expect(error.message).not.toContain("very-secret");
      expect(error.message).not.toContain(iv);
      expect(error.message).not.toContain(body.slice(0, 10));
    }
  });
});

describe("keyIdOf / isEncryptedUnderActiveKey", () => {
  it("reports the kid and whether rotation still has work to do", () => {
    const stored = encryptField(oldRing, "value", ctx);
    expect(keyIdOf(stored)).toBe("old");
    expect(isEncryptedUnderActiveKey(oldRing, stored)).toBe(true);
    expect(isEncryptedUnderActiveKey(rotatedRing, stored)).toBe(false);
    expect(isEncryptedUnderActiveKey(rotatedRing, encryptField(rotatedRing, "value", ctx))).toBe(true);
  });

  it("returns null for anything that is not a v1 envelope", () => {
    for (const value of ["", "plain", "v2.old.a.b", "v1.old.a", "v1..a.b", "v1.bad kid.a.b"]) {
      expect(keyIdOf(value), value).toBeNull();
      expect(isEncryptedUnderActiveKey(oldRing, value)).toBe(false);
    }
  });
});
