import { APP_ACCESS_TOKEN_PREFIX, APP_REFRESH_TOKEN_PREFIX, isAppAccessToken, isAppRefreshToken, isServiceToken, SERVICE_TOKEN_PREFIX } from "./prefixes";
import { parsePresentedPat, type PatParseFailure } from "./pat-format";

/** The credentials that authenticate a caller (client secrets and codes are checked by their own grants). */
export type CredentialKind = "pat" | "app_access" | "app_refresh" | "service";
export const CREDENTIAL_KINDS: readonly CredentialKind[] = ["pat", "app_access", "app_refresh", "service"];

export type FormatFailure = PatParseFailure;
export type ClassifiedCredential = { ok: true; kind: CredentialKind; secret: string } | { ok: false; reason: FormatFailure };

/** A plain boolean: the checks' `raw is string` guards would narrow a string that fails one to `never`. */
const is = (check: (raw: unknown) => boolean, value: string): boolean => check(value);

const CHECKSUMMED_PREFIXES = [SERVICE_TOKEN_PREFIX, APP_ACCESS_TOKEN_PREFIX, APP_REFRESH_TOKEN_PREFIX];

/**
 * Pure and cheap: which kind of credential a presented string is, by prefix and checksum, and the
 * secret that is hashed. Nothing failing here ever reaches the database. Service tokens are taken
 * exactly as sent (never trimmed); app tokens trimmed; PATs in their plain or self-describing form.
 */
export function classifyCredential(presented: string | null | undefined): ClassifiedCredential {
  if (typeof presented !== "string") return { ok: false, reason: "missing" };
  if (is(isServiceToken, presented)) return { ok: true, kind: "service", secret: presented };
  const trimmed = presented.trim();
  if (is(isAppAccessToken, trimmed)) return { ok: true, kind: "app_access", secret: trimmed };
  if (is(isAppRefreshToken, trimmed)) return { ok: true, kind: "app_refresh", secret: trimmed };
  const pat = parsePresentedPat(presented);
  if (pat.ok) return { ok: true, kind: "pat", secret: pat.secret };
  if (pat.reason === "bad_prefix") {
    const prefix = CHECKSUMMED_PREFIXES.find((candidate) => trimmed.startsWith(candidate));
    // A prefix we issue with a well-formed body that is not valid: a typo in the checksum (a service
    // token sent with whitespace around it is refused as malformed, as it always was).
    if (prefix)
      return { ok: false, reason: !is(isServiceToken, trimmed) && /^[0-9A-Za-z]{49}$/.test(trimmed.slice(prefix.length)) ? "bad_checksum" : "malformed" };
  }
  return { ok: false, reason: pat.reason };
}
