/**
 * The PAT scope catalogue. Adding a scope is one line here; the API, the create form and the README
 * table all read this object.
 */
export const SCOPE_CATALOGUE = {
  "profile:read": { description: "Read your profile: id, email, name and role.", adminOnly: false },
  "connections:read": { description: "See which providers are connected and which token names are stored (never values).", adminOnly: false },
  "tokens:read": { description: "List your personal access tokens (names, scopes, dates; never values).", adminOnly: false },
  "tokens:write": { description: "Revoke and regenerate your personal access tokens (never to scopes the token itself lacks).", adminOnly: false },
  "applications:read": { description: "List the OAuth applications you registered (names, redirect URIs, user counts; never secrets).", adminOnly: false },
  "applications:write": { description: "Register and delete your OAuth applications (a new app's secret is in the answer).", adminOnly: false },
  admin: { description: "Use the admin API (admins only): read any user's stored token names, revoke all of a user's credentials.", adminOnly: true },
} as const satisfies Record<string, { description: string; adminOnly: boolean }>;

export type Scope = keyof typeof SCOPE_CATALOGUE;

export const ALL_SCOPES = Object.keys(SCOPE_CATALOGUE) as Scope[];

export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && Object.hasOwn(SCOPE_CATALOGUE, value);
}

export function scopesFor(role: "USER" | "ADMIN"): Scope[] {
  return ALL_SCOPES.filter((scope) => role === "ADMIN" || !SCOPE_CATALOGUE[scope].adminOnly);
}
