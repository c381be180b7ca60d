import { describe, expect, it } from "vitest";
import { formatSelfDescribingPat, generatePatSecret, PAT_SECRET_LENGTH, parsePresentedPat, slugifyTokenName, tokenHint } from "./format";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("PAT format", () => {
  it("generates prefixed fixed-length secrets that parse", () => {
    const secrets = new Set(Array.from({ length: 200 }, generatePatSecret));
    expect(secrets.size).toBe(200);
    for (const secret of secrets) {
      expect(secret).toMatch(/^tsr_pat_[0-9A-Za-z]{49}$/);
      expect(secret).toHaveLength(PAT_SECRET_LENGTH);
      expect(parsePresentedPat(secret)).toEqual({ ok: true, secret });
    }
  });

  it("catches single-character typos with the checksum", () => {
    for (let i = 0; i < 300; i++) {
      const secret = generatePatSecret();
      const position = 8 + Math.floor(Math.random() * (secret.length - 8));
      const replacement = ALPHABET[(ALPHABET.indexOf(secret[position]!) + 1 + Math.floor(Math.random() * 61)) % 62]!;
      const typo = secret.slice(0, position) + replacement + secret.slice(position + 1);
      expect(parsePresentedPat(typo)).toEqual({ ok: false, reason: "bad_checksum" });
    }
  });

  it("rejects truncated, extended, foreign, non-ASCII, huge and empty input with a reason", () => {
    const secret = generatePatSecret();
    expect(parsePresentedPat(secret.slice(0, -1))).toMatchObject({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret + "a")).toMatchObject({ ok: false, reason: "malformed" });
    expect(parsePresentedPat("ghp_" + secret.slice(4))).toMatchObject({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat(secret.slice(0, 20) + "é" + secret.slice(21))).toMatchObject({ ok: false, reason: "malformed" });
    expect(parsePresentedPat("x".repeat(10_000))).toMatchObject({ ok: false, reason: "too_long" });
    expect(parsePresentedPat("")).toMatchObject({ ok: false, reason: "missing" });
    expect(parsePresentedPat(null)).toMatchObject({ ok: false, reason: "missing" });
    expect(parsePresentedPat(`  ${secret}\n`)).toEqual({ ok: true, secret });
  });

  it("reads the self-describing form by its secret; the description is informational", () => {
    const secret = generatePatSecret();
    const text = formatSelfDescribingPat(secret, { name: "Nightly Backup!", createdAt: new Date("2026-11-23T10:00:00Z"), expiresAt: new Date("2027-02-21T10:00:00Z") });
    expect(text).toBe(`nightly-backup-2026-11-23-2027-02-21--${secret}`);
    expect(parsePresentedPat(text)).toEqual({ ok: true, secret });
    expect(parsePresentedPat(`admin-2000-01-01-2999-12-31--${secret}`)).toEqual({ ok: true, secret });
    expect(parsePresentedPat(`nightly--${secret.slice(0, -2)}`)).toMatchObject({ ok: false });
  });

  it("slugs names safely and hints show four characters of the secret at most", () => {
    expect(slugifyTokenName("  CI / Deploy (prod)  ")).toBe("ci-deploy-prod");
    expect(slugifyTokenName("日本語")).toBe("token");
    expect(slugifyTokenName("a".repeat(80))).toHaveLength(40);
    const secret = generatePatSecret();
    expect(tokenHint(secret)).toBe(`tsr_pat_…${secret.slice(-4)}`);
  });
});
