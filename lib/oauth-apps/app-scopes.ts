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
