import { ALL_SCOPES, SCOPE_CATALOGUE, type Scope } from "@/lib/pat/scopes";

/**
 * What a third-party application may be granted: Tessera's API scopes, never `admin`, and never
 * `applications:write` (an app has no business minting other apps' client secrets).
 */
export const APP_SCOPES: readonly Scope[] = ALL_SCOPES.filter((scope) => !SCOPE_CATALOGUE[scope].adminOnly && scope !== "applications:write");

export function isAppScope(value: string): value is Scope {
  return (APP_SCOPES as readonly string[]).includes(value);
}

/** A space-separated `scope` parameter: its distinct values, or null when one is not grantable. */
export function parseAppScopes(raw: string | null | undefined): Scope[] | null {
  const values = [...new Set((raw ?? "").split(" ").filter(Boolean))];
  if (values.length === 0 || values.length > APP_SCOPES.length) return null;
  return values.every(isAppScope) ? (values as Scope[]) : null;
}

/** What an app that chose no default scopes gets for an authorization request without `scope`. */
export const FALLBACK_DEFAULT_SCOPES: readonly Scope[] = ["profile:read"];

/** An app's registered default scopes (RFC 6749 §3.3) that are still grantable, or the fallback when none is. */
export function defaultScopesOf(registered: readonly string[] | null | undefined): Scope[] {
  const scopes = [...new Set(registered ?? [])].filter(isAppScope);
  return scopes.length > 0 ? scopes : [...FALLBACK_DEFAULT_SCOPES];
}
