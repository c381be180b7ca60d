/** The named server secret PAT hashes are keyed with (HMAC-SHA-256); changing it invalidates every PAT. */
export function getPatPepper(): string {
  const pepper = process.env.PAT_HASH_PEPPER;
  if (!pepper) throw new Error("PAT_HASH_PEPPER is not set");
  return pepper;
}
