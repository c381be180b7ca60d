import { ALL_SCOPES, SCOPE_CATALOGUE, type Scope } from "@/lib/pat/scopes";
import type { ProviderScope } from "./provider-scopes";

/** What an application's token may carry: an API scope, or (for the MCP resource only) a provider scope. */
export type AppScope = Scope | ProviderScope;

/**
 * What a third-party application may be granted: Tessera's API scopes, never `admin`, and never
 * `applications:write` (an app has no business minting other apps' client secrets).
 */
export const APP_SCOPES: readonly Scope[] = ALL_SCOPES.filter((scope) => !SCOPE_CATALOGUE[scope].adminOnly && scope !== "applications:write");

export function isAppScope(value: string): value is Scope {
  return (APP_SCOPES as readonly string[]).includes(value);
}

/**
 * A space-separated `scope` parameter: its distinct values, or null when one is not grantable.
 * `allowed`: the scopes of the resource the token will be for (the API's unless said).
 */
export function parseAppScopes(raw: string | null | undefined, allowed: readonly AppScope[] = APP_SCOPES): AppScope[] | null {
  const values = [...new Set((raw ?? "").split(" ").filter(Boolean))];
  if (values.length === 0 || values.length > allowed.length) return null;
  return values.every((value) => (allowed as readonly string[]).includes(value)) ? (values as AppScope[]) : null;
}

/** What an app that chose no default scopes gets for an authorization request without `scope`. */
export const FALLBACK_DEFAULT_SCOPES: readonly Scope[] = ["profile:read"];

/**
 * An app's registered default scopes (RFC 6749 §3.3) that are still grantable, or the fallback when none is.
 * `resource`: the scopes the token's resource accepts and its fallback (the API's unless said).
 */
export function defaultScopesOf(
  registered: readonly string[] | null | undefined,
  resource: { scopes: readonly AppScope[]; fallback: readonly AppScope[] } = { scopes: APP_SCOPES, fallback: FALLBACK_DEFAULT_SCOPES },
): AppScope[] {
  const scopes = [...new Set(registered ?? [])].filter((scope): scope is AppScope => (resource.scopes as readonly string[]).includes(scope));
  return scopes.length > 0 ? scopes : [...resource.fallback];
}
