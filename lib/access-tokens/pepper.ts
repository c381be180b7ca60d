import "server-only";
/**
 * The named server secret every Tessera credential hash is keyed with (HMAC-SHA-256): PATs, app and
 * service tokens, client secrets, authorization codes. Changing it invalidates every one of them.
 */
export function getTokenPepper(): string {
  const pepper = process.env.PAT_HASH_PEPPER;
  if (!pepper) throw new Error("PAT_HASH_PEPPER is not set");
  return pepper;
}
