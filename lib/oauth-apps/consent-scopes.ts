import { SCOPE_CATALOGUE } from "@/lib/pat/scopes";
import type { AppScope } from "./app-scopes";
import { describeProviderScope, isProviderScope } from "./provider-scopes";

export type ConsentScope = { name: AppScope; description: string; isNew: boolean };

/** What a consent screen lists: each requested scope, what it allows, and whether the person never granted it before. */
export function describeConsentScopes(scopes: readonly AppScope[], granted: readonly string[] | null): ConsentScope[] {
  return scopes.map((name) => ({
    name,
    description: isProviderScope(name) ? describeProviderScope(name) : SCOPE_CATALOGUE[name].description,
    isNew: granted !== null && !granted.includes(name),
  }));
}
