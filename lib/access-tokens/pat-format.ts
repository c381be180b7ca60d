import { CHECKSUM_LENGTH, CHECKSUMMED_RANDOM_LENGTH, checksumOf, generateChecksummedSecret } from "@/lib/crypto/checksummed-secret";
import { PAT_PREFIX } from "./prefixes";

/*
 * PAT text, GitHub's scheme: a prefix secret scanners can match, 32 random bytes in base62 (43
 * chars) and a 6-char base62 CRC32 over everything before it, so typos and junk are rejected without
 * touching the database. Optionally self-describing (IdentityServer's design):
 * `<name-slug>-<created>-<expires>--tsr_pat_…`; only the part after the last `--` authenticates.
 */
const RANDOM_LENGTH = CHECKSUMMED_RANDOM_LENGTH;
export const PAT_SECRET_LENGTH = PAT_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
// Bounds the work done on attacker-supplied input; a self-describing PAT is at most ~125 chars.
const MAX_PRESENTED_LENGTH = 512;
const SLUG_MAX_LENGTH = 40;
const DESCRIPTION_SEPARATOR = "--";
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const SECRET_BODY = new RegExp(`^[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

export type PatParseFailure = "missing" | "too_long" | "malformed" | "bad_prefix" | "bad_checksum";
export type ParsedPat = { ok: true; secret: string } | { ok: false; reason: PatParseFailure };

export class PatFormatError extends Error {
  readonly code = "invalid_pat_format";
  constructor(message: string) {
    super(message);
    this.name = "PatFormatError";
  }
}

export function generatePatSecret(): string {
  return generateChecksummedSecret(PAT_PREFIX);
}

/** `<name-slug>-<created yyyy-mm-dd>-<expires yyyy-mm-dd>--<secret>`, dates in UTC. */
export function formatSelfDescribingPat(secret: string, meta: { name: string; createdAt: Date; expiresAt: Date }): string {
  const parsed = parsePresentedPat(secret);
  // Only a plain, valid secret: wrapping anything else would hand out a token that cannot work.
  if (!parsed.ok || parsed.secret !== secret) throw new PatFormatError("formatSelfDescribingPat needs a plain, valid PAT secret");
  return `${slugifyTokenName(meta.name)}-${utcDay(meta.createdAt)}-${utcDay(meta.expiresAt)}${DESCRIPTION_SEPARATOR}${secret}`;
}

/** Lowercase a-z0-9 and single "-", at most 40 chars; accents are folded, anything else becomes "-". */
export function slugifyTokenName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/, "");
  return slug || "token";
}

/**
 * Pure and cheap: decides whether a presented string can be a Tessera PAT at all, before any
 * hashing or lookup. Accepts the plain and the self-describing form; returns the plain secret.
 */
export function parsePresentedPat(raw: string | null | undefined): ParsedPat {
  if (typeof raw !== "string") return { ok: false, reason: "missing" };
  if (raw.length > MAX_PRESENTED_LENGTH) return { ok: false, reason: "too_long" };
  const trimmed = raw.trim();
  if (trimmed === "") return { ok: false, reason: "missing" };
  if (!PRINTABLE_ASCII.test(trimmed)) return { ok: false, reason: "malformed" };

  const separator = trimmed.lastIndexOf(DESCRIPTION_SEPARATOR);
  const secret = separator >= 0 ? trimmed.slice(separator + DESCRIPTION_SEPARATOR.length) : trimmed;
  if (secret === "") return { ok: false, reason: "malformed" };
  if (!secret.startsWith(PAT_PREFIX)) return { ok: false, reason: "bad_prefix" };
  if (secret.length !== PAT_SECRET_LENGTH || !SECRET_BODY.test(secret.slice(PAT_PREFIX.length))) return { ok: false, reason: "malformed" };
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  if (checksumOf(body) !== secret.slice(-CHECKSUM_LENGTH)) return { ok: false, reason: "bad_checksum" };
  return { ok: true, secret };
}

/** What lists show, e.g. `tsr_pat_…a1B2`: the last four characters, which are checksum, not random part. */
export function tokenHint(secret: string): string {
  return `${PAT_PREFIX}…${secret.slice(-4)}`;
}

function utcDay(date: Date): string {
  const day = Number.isNaN(date.getTime()) ? "" : date.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new PatFormatError("self-describing PAT dates must be valid and within years 0000-9999");
  return day;
}
