import "server-only";
import { hashSecret } from "@/lib/crypto";
import { parsePresentedPat } from "./pat-format";
import { getTokenPepper } from "./pepper";

/**
 * The one place a Tessera credential's stored hash is computed: HMAC-SHA-256(secret, PAT_HASH_PEPPER).
 * PATs, app and service tokens, client secrets and authorization codes all store this, so a leaked
 * table alone cannot test guesses, and one hash per presented string finds any kind.
 */
export const hashCredentialSecret = (secret: string, pepper = getTokenPepper()) => hashSecret(secret, pepper);

/** The secret a presented string would authenticate with: a self-describing PAT's secret part, else the trimmed string. */
export function presentedSecret(raw: string): string {
  const pat = parsePresentedPat(raw);
  return pat.ok ? pat.secret : raw.trim();
}

/** The stored hash a presented string would match, whatever its kind (leak reports hash everything alike). */
export const hashPresentedSecret = (raw: string, pepper = getTokenPepper()) => hashCredentialSecret(presentedSecret(raw), pepper);
