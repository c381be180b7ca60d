import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeBase62Number } from "@/lib/crypto/base62";
import {
  formatSelfDescribingPat,
  generatePatSecret,
  PAT_PREFIX,
  PAT_SECRET_LENGTH,
  parsePresentedPat,
  PatFormatError,
  slugifyTokenName,
  tokenHint,
} from "./format";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_START = PAT_PREFIX.length;
const RANDOM_END = RANDOM_START + 43;
const meta = { name: "Nightly Backup!", createdAt: new Date("2026-11-23T10:00:00Z"), expiresAt: new Date("2027-02-21T10:00:00Z") };

function substitute(text: string, position: number): string {
  const offset = 1 + Math.floor(Math.random() * 61); // never the same character
  const replacement = ALPHABET[(ALPHABET.indexOf(text[position]!) + offset) % 62]!;
  return text.slice(0, position) + replacement + text.slice(position + 1);
}

describe("generatePatSecret", () => {
  it("generates unique, prefixed, fixed-length secrets that parse", () => {
    expect(PAT_PREFIX).toBe("tsr_pat_");
    expect(PAT_SECRET_LENGTH).toBe(57);
    const secrets = new Set(Array.from({ length: 300 }, generatePatSecret));
    expect(secrets.size).toBe(300);
    for (const secret of secrets) {
      expect(secret).toMatch(/^tsr_pat_[0-9A-Za-z]{49}$/);
      expect(secret).toHaveLength(PAT_SECRET_LENGTH);
      expect(parsePresentedPat(secret)).toEqual({ ok: true, secret });
    }
  });

  it("ends in the zero-padded base62 CRC32 of everything before it", () => {
    const secret = generatePatSecret();
    const body = secret.slice(0, -6);
    expect(secret.slice(-6)).toBe(encodeBase62Number(crc32(body), 6));
  });
});

describe("parsePresentedPat", () => {
  it("catches every single-character substitution in the random part with the checksum", () => {
    for (let i = 0; i < 500; i++) {
      const secret = generatePatSecret();
      const position = RANDOM_START + Math.floor(Math.random() * (RANDOM_END - RANDOM_START));
      expect(parsePresentedPat(substitute(secret, position))).toEqual({ ok: false, reason: "bad_checksum" });
    }
  });

  it("catches substitutions in the checksum itself and swapped neighbours", () => {
    for (let i = 0; i < 100; i++) {
      const secret = generatePatSecret();
      const position = RANDOM_END + Math.floor(Math.random() * 6);
      expect(parsePresentedPat(substitute(secret, position))).toEqual({ ok: false, reason: "bad_checksum" });
    }
    const secret = generatePatSecret();
    for (let i = RANDOM_START; i < RANDOM_END - 1; i++) {
      if (secret[i] === secret[i + 1]) continue;
      const swapped = secret.slice(0, i) + secret[i + 1] + secret[i] + secret.slice(i + 2);
      expect(parsePresentedPat(swapped)).toEqual({ ok: false, reason: "bad_checksum" });
    }
  });

  it("rejects truncated and extended secrets as malformed", () => {
    const secret = generatePatSecret();
    for (const cut of [1, 6, 20, 49]) expect(parsePresentedPat(secret.slice(0, -cut))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret + "a")).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret + secret)).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(PAT_PREFIX)).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects other prefixes as bad_prefix", () => {
    const secret = generatePatSecret();
    expect(parsePresentedPat("ghp_" + secret.slice(4))).toEqual({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat("tsr_pst_" + secret.slice(8))).toEqual({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat(secret.toUpperCase())).toEqual({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat(secret.slice(8))).toEqual({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat("ghp_16C7e42F292c6912E7710c838347Ae178B4a")).toEqual({ ok: false, reason: "bad_prefix" });
  });

  it("rejects non-ASCII, inner whitespace and wrong characters as malformed", () => {
    const secret = generatePatSecret();
    expect(parsePresentedPat(secret.slice(0, 20) + "é" + secret.slice(21))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret.slice(0, 20) + "０" + secret.slice(21))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret.slice(0, 20) + " " + secret.slice(21))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret.slice(0, 20) + "_" + secret.slice(21))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(secret.slice(0, 20) + "\u0000" + secret.slice(21))).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(`${secret}--`)).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects huge input as too_long before any other work, and missing input as missing", () => {
    expect(parsePresentedPat("x".repeat(10_000))).toEqual({ ok: false, reason: "too_long" });
    expect(parsePresentedPat(" ".repeat(513))).toEqual({ ok: false, reason: "too_long" });
    expect(parsePresentedPat(`${"a-".repeat(300)}-${generatePatSecret()}`)).toEqual({ ok: false, reason: "too_long" });
    expect(parsePresentedPat("é".repeat(10_000))).toEqual({ ok: false, reason: "too_long" });
    expect(parsePresentedPat("")).toEqual({ ok: false, reason: "missing" });
    expect(parsePresentedPat("  \n\t ")).toEqual({ ok: false, reason: "missing" });
    expect(parsePresentedPat(null)).toEqual({ ok: false, reason: "missing" });
    expect(parsePresentedPat(undefined)).toEqual({ ok: false, reason: "missing" });
  });

  it("trims surrounding whitespace", () => {
    const secret = generatePatSecret();
    expect(parsePresentedPat(`  ${secret}\r\n`)).toEqual({ ok: true, secret });
    expect(parsePresentedPat(`\t${formatSelfDescribingPat(secret, meta)} `)).toEqual({ ok: true, secret });
  });
});

describe("self-describing PATs", () => {
  it("formats as <slug>-<created>-<expires>--<secret> and parses to the same secret", () => {
    const secret = generatePatSecret();
    const text = formatSelfDescribingPat(secret, meta);
    expect(text).toBe(`nightly-backup-2026-11-23-2027-02-21--${secret}`);
    expect(parsePresentedPat(text)).toEqual({ ok: true, secret });
  });

  it("treats the description as informational: editing it yields the same secret", () => {
    const secret = generatePatSecret();
    for (const description of ["admin-2000-01-01-2999-12-31", "renamed", "a--b--c", "x", ""]) {
      expect(parsePresentedPat(`${description}--${secret}`), description).toEqual({ ok: true, secret });
    }
  });

  it("still checks the secret part", () => {
    const secret = generatePatSecret();
    expect(parsePresentedPat(`nightly--${secret.slice(0, -2)}`)).toEqual({ ok: false, reason: "malformed" });
    expect(parsePresentedPat(`nightly--${substitute(secret, 30)}`)).toEqual({ ok: false, reason: "bad_checksum" });
    expect(parsePresentedPat(`${secret}--nightly`)).toEqual({ ok: false, reason: "bad_prefix" });
    expect(parsePresentedPat(`nïghtly--${secret}`)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses to wrap anything but a plain valid secret or invalid dates", () => {
    const secret = generatePatSecret();
    expect(() => formatSelfDescribingPat(secret.slice(0, -1), meta)).toThrow(PatFormatError);
    expect(() => formatSelfDescribingPat(formatSelfDescribingPat(secret, meta), meta)).toThrow(PatFormatError);
    expect(() => formatSelfDescribingPat(` ${secret}`, meta)).toThrow(PatFormatError);
    expect(() => formatSelfDescribingPat(secret, { ...meta, expiresAt: new Date("nope") })).toThrow(PatFormatError);
    expect(() => formatSelfDescribingPat(secret, { ...meta, expiresAt: new Date(Date.UTC(10_000, 0, 1)) })).toThrow(PatFormatError);
  });

  it("uses UTC dates", () => {
    const secret = generatePatSecret();
    const text = formatSelfDescribingPat(secret, {
      name: "t",
      createdAt: new Date("2026-01-01T23:30:00-05:00"),
      expiresAt: new Date("2026-03-01T00:30:00+02:00"),
    });
    expect(text).toBe(`t-2026-01-02-2026-02-28--${secret}`);
  });
});

describe("slugifyTokenName", () => {
  it.each([
    ["Nightly Backup!", "nightly-backup"],
    ["  CI / Deploy (prod)  ", "ci-deploy-prod"],
    ["---a---b---", "a-b"],
    ["Café Résumé", "cafe-resume"],
    ["ÅNGSTRÖM_2", "angstrom-2"],
    ["ﬁle", "file"],
    ["日本語", "token"],
    ["", "token"],
    ["!!!", "token"],
    ["🔑 key", "key"],
  ])("%j → %j", (name, slug) => {
    expect(slugifyTokenName(name)).toBe(slug);
  });

  it("caps at 40 characters without a trailing '-' and never emits '--'", () => {
    expect(slugifyTokenName("a".repeat(80))).toBe("a".repeat(40));
    expect(slugifyTokenName(`${"a".repeat(39)} b`)).toBe("a".repeat(39));
    for (let i = 0; i < 200; i++) {
      const name = String.fromCharCode(...Array.from({ length: 60 }, () => 32 + Math.floor(Math.random() * 200)));
      const slug = slugifyTokenName(name);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(slug.length).toBeLessThanOrEqual(40);
    }
  });
});

describe("tokenHint", () => {
  it("shows the prefix and the last four characters", () => {
    const secret = generatePatSecret();
    expect(tokenHint(secret)).toBe(`tsr_pat_…${secret.slice(-4)}`);
  });

  it("never contains more than four characters of the random part", () => {
    for (let i = 0; i < 200; i++) {
      const secret = generatePatSecret();
      const hint = tokenHint(secret);
      expect(hint.startsWith(`${PAT_PREFIX}…`)).toBe(true);
      const shown = hint.slice(PAT_PREFIX.length + 1);
      expect(shown).toHaveLength(4);
      // The four characters come from the checksum, after the random part ends.
      expect(secret.lastIndexOf(shown)).toBeGreaterThanOrEqual(RANDOM_END);
      expect(secret.slice(RANDOM_END)).toContain(shown);
    }
    const secret = generatePatSecret();
    expect(tokenHint(formatSelfDescribingPat(secret, meta))).toBe(tokenHint(secret));
  });
});
