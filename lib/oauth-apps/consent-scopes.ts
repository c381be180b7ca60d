import { SCOPE_CATALOGUE, type Scope } from "@/lib/pat/scopes";

export type ConsentScope = { name: Scope; description: string; isNew: boolean };

/** What a consent screen lists: each requested scope, what it allows, and whether the person never granted it before. */
export function describeConsentScopes(scopes: readonly Scope[], granted: readonly string[] | null): ConsentScope[] {
  return scopes.map((name) => ({ name, description: SCOPE_CATALOGUE[name].description, isNew: granted !== null && !granted.includes(name) }));
}
