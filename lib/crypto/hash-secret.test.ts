import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HashSecretError, hashSecret } from "./hash-secret";

describe("hashSecret", () => {
  it("is HMAC-SHA-256(pepper, secret) in hex", () => {
    expect(hashSecret("s", "p1")).toBe(createHmac("sha256", "p1").update("s").digest("hex"));
    expect(hashSecret("s", "p1")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret("s", "p1")).toBe(hashSecret("s", "p1"));
  });

  it("changes with the pepper and refuses an empty one", () => {
    expect(hashSecret("s", "p1")).not.toBe(hashSecret("s", "p2"));
    expect(() => hashSecret("s", "")).toThrow(HashSecretError);
  });
});
