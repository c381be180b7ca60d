import { crc32 } from "node:zlib";
import { encodeBase62Number } from "@/lib/crypto/base62";
import { randomBase62 } from "@/lib/crypto/random-base62";

/*
 * PAT text, GitHub's scheme: a prefix secret scanners can match, 32 random bytes in base62, and a
 * CRC32 checksum (6 base62 chars) over everything before it, so typos and truncation are rejected
 * without touching the database. Optionally self-describing (IdentityServer's design):
 * `<name-slug>-<created>-<expires>--tsr_pat_…` — only the part after the last `--` authenticates.
 */
export const PAT_PREFIX = "tsr_pat_";
const RANDOM_LENGTH = 43; // 32 bytes in base62
const CHECKSUM_LENGTH = 6;
export const PAT_SECRET_LENGTH = PAT_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const MAX_PRESENTED_LENGTH = 512;
const SECRET_SHAPE = new RegExp(`^[a-z_]{8}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function checksum(body: string): string {
  return encodeBase62Number(crc32(body), CHECKSUM_LENGTH);
}

export function generatePatSecret(): string {
  const body = PAT_PREFIX + randomBase62(32);
  return body + checksum(body);
}

export function slugifyTokenName(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "token";
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export function formatSelfDescribingPat(secret: string, meta: { name: string; createdAt: Date; expiresAt: Date }): string {
  return `${slugifyTokenName(meta.name)}-${day(meta.createdAt)}-${day(meta.expiresAt)}--${secret}`;
}

export type ParsedPat = { ok: true; secret: string } | { ok: false; reason: "missing" | "too_long" | "malformed" | "bad_prefix" | "bad_checksum" };

/** Pure and cheap: decides whether a presented string can be a Tessera PAT at all. */
export function parsePresentedPat(raw: string | null | undefined): ParsedPat {
  if (raw === null || raw === undefined) return { ok: false, reason: "missing" };
  if (raw.length > MAX_PRESENTED_LENGTH) return { ok: false, reason: "too_long" };
  const trimmed = raw.trim();
  if (!trimmed) return { ok: false, reason: "missing" };
  const separator = trimmed.lastIndexOf("--");
  const secret = separator >= 0 ? trimmed.slice(separator + 2) : trimmed;
  if (!SECRET_SHAPE.test(secret)) return { ok: false, reason: secret.startsWith(PAT_PREFIX) || secret.length !== PAT_SECRET_LENGTH ? "malformed" : "bad_prefix" };
  if (!secret.startsWith(PAT_PREFIX)) return { ok: false, reason: "bad_prefix" };
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  if (checksum(body) !== secret.slice(-CHECKSUM_LENGTH)) return { ok: false, reason: "bad_checksum" };
  return { ok: true, secret };
}

/** What lists show: the prefix and the last four characters. */
export function tokenHint(secret: string): string {
  return `${PAT_PREFIX}…${secret.slice(-4)}`;
}
