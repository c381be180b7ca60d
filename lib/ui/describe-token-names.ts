// The names lib/provider-tokens/token-names.ts stores tokens under.
const WORDS: Record<string, string> = { access_token: "access token", refresh_token: "refresh token", id_token: "ID token" };
// Access first: it is the one services use; the others keep it going or say who signed in.
const ORDER = ["access_token", "refresh_token", "id_token"];

/**
 * The stored token names in words for people: ["id_token", "access_token"] → "Access token, ID token".
 * A name Tessera does not know is shown as stored rather than hidden.
 */
export function describeTokenNames(names: readonly string[]): string {
  const rank = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  const text = [...names]
    .sort((a, b) => rank(a) - rank(b))
    .map((name) => WORDS[name] ?? name)
    .join(", ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
