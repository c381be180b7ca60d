import type { ProviderEntry } from "@/lib/providers/catalog";

/** Scopes as the provider's separator joins them on the authorization request (`,` for Slack, a space for RFC 6749). */
export function joinScopes(entry: Pick<ProviderEntry, "scopeSeparator">, scopes: readonly string[]): string {
  return scopes.join(entry.scopeSeparator);
}

/** The scopes a person grants on the next authorization: what they hold, what is asked, and on a first connect the entry's defaults. */
export function unionScopes(granted: readonly string[], requested: readonly string[], defaults: readonly string[]): string[] {
  return [...new Set([...(granted.length ? granted : defaults), ...requested])];
}

/** The asked-for scopes a grant does not hold yet. */
export function missingScopes(granted: readonly string[], needed: readonly string[]): string[] {
  const held = new Set(granted);
  return [...new Set(needed)].filter((scope) => !held.has(scope));
}
