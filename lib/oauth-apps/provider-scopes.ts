import { PROVIDER_IDS, providerLabel, type ProviderId } from "@/lib/providers/catalog";

/*
 * Scopes a person understands, for the MCP resource (issue 24): per sign-in provider, read (GET and HEAD
 * only) or read-write, through Tessera's proxy as that person. They are application scopes for `/mcp`
 * only (lib/oauth-apps/protected-resources.ts); never PAT scopes, never for the API.
 */
export type ProviderAccess = "read" | "write";
export type ProviderScope = `provider:${ProviderId}:${ProviderAccess}`;

export const PROVIDER_SCOPES: readonly ProviderScope[] = PROVIDER_IDS.flatMap((id): ProviderScope[] => [`provider:${id}:read`, `provider:${id}:write`]);

const READ_METHODS = new Set(["GET", "HEAD"]);

export function isProviderScope(value: string): value is ProviderScope {
  return (PROVIDER_SCOPES as readonly string[]).includes(value);
}

/** What a consent screen says about one, in the person's words. */
export function describeProviderScope(scope: ProviderScope): string {
  const [, provider, access] = scope.split(":") as [string, ProviderId, ProviderAccess];
  const label = providerLabel(provider);
  return access === "read"
    ? `Read your ${label} data through Tessera (look only: no changes). Your ${label} password and tokens stay with Tessera.`
    : `Read and change your ${label} data through Tessera (create, edit and delete what your ${label} connection allows). Your ${label} tokens stay with Tessera.`;
}

/** The scope a call with `method` at `provider` needs: read for GET and HEAD, write for anything else. */
export function providerScopeFor(provider: ProviderId, method: string): ProviderScope {
  return `provider:${provider}:${READ_METHODS.has(method.toUpperCase()) ? "read" : "write"}`;
}

/** Whether `granted` allows `method` at `provider`: write includes read. */
export function allowsProviderCall(granted: readonly string[], provider: ProviderId, method: string): boolean {
  const needed = providerScopeFor(provider, method);
  return granted.includes(needed) || granted.includes(`provider:${provider}:write`);
}
