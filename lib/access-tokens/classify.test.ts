import { describe, expect, it } from "vitest";
import { classifyCredential } from "./classify";
import { generatePatSecret } from "./pat-format";
import { generateAppAccessToken, generateAppRefreshToken, generateAppSecret, generateServiceToken } from "./prefixes";

/*
 * Issue 21 §1: one classifier decides, without a query, which kind a presented credential is.
 * Mutation check: in classify.ts, dropping the `isAppRefreshToken(trimmed)` line makes "each kind…" fail
 * (a refresh token falls through to the PAT parser: bad_prefix).
 */
const flipLast = (value: string) => value.slice(0, -1) + (value.endsWith("A") ? "B" : "A");

describe("classifyCredential", () => {
  it("each kind by its prefix, with the secret that is hashed", () => {
    const pat = generatePatSecret();
    const access = generateAppAccessToken();
    const refresh = generateAppRefreshToken();
    const service = generateServiceToken();
    expect(classifyCredential(pat)).toEqual({ ok: true, kind: "pat", secret: pat });
    expect(classifyCredential(`my-token-2026-01-01-2026-02-01--${pat}`)).toEqual({ ok: true, kind: "pat", secret: pat });
    expect(classifyCredential(` ${access} `)).toEqual({ ok: true, kind: "app_access", secret: access });
    expect(classifyCredential(refresh)).toEqual({ ok: true, kind: "app_refresh", secret: refresh });
    expect(classifyCredential(service)).toEqual({ ok: true, kind: "service", secret: service });
  });

  it("a checksum typo in any kind is bad_checksum; junk is refused without a kind", () => {
    for (const value of [generatePatSecret(), generateAppAccessToken(), generateAppRefreshToken(), generateServiceToken()]) {
      expect(classifyCredential(flipLast(value))).toEqual({ ok: false, reason: "bad_checksum" });
    }
    expect(classifyCredential(undefined)).toEqual({ ok: false, reason: "missing" });
    expect(classifyCredential("   ")).toEqual({ ok: false, reason: "missing" });
    expect(classifyCredential("tsr_sat_short")).toEqual({ ok: false, reason: "malformed" });
    expect(classifyCredential("ghp_somethingelse")).toEqual({ ok: false, reason: "bad_prefix" });
    // A client secret authenticates only at the token endpoint, never as a bearer credential.
    expect(classifyCredential(generateAppSecret())).toEqual({ ok: false, reason: "bad_prefix" });
    expect(classifyCredential("x".repeat(600))).toEqual({ ok: false, reason: "too_long" });
  });

  it("a service token is taken exactly as sent, as before (whitespace around it is malformed)", () => {
    expect(classifyCredential(` ${generateServiceToken()}`)).toEqual({ ok: false, reason: "malformed" });
  });
});
