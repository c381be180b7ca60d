import { PROVIDER_IDS, providerLabel } from "@/lib/providers/catalog";
import { readCatalogue, readShippedCatalogue } from "@/lib/providers/load-catalogue";

/*
 * Scopes a person understands, for the MCP resource (issue 24): per provider of the catalogue (the sign-in three,
 * and since issue 23 every connect-only entry, the operator's too), read (GET and HEAD only) or read-write, through
 * Tessera's proxy as that person. They are application scopes for `/mcp` only (lib/oauth-apps/protected-resources.ts);
 * never PAT scopes, never for the API.
 */
export type ProviderAccess = "read" | "write";
export type ProviderScope = `provider:${string}:${ProviderAccess}`;

/** Every provider id an MCP client may be granted: the catalogue's, read once (npm start has validated it). */
export const MCP_PROVIDER_IDS: readonly [string, ...string[]] = catalogueIds();

function catalogueIds(): [string, ...string[]] {
  let ids: string[];
  try {
    ids = readCatalogue().map((entry) => entry.id);
  } catch {
    // A broken operator file stops npm start before this matters; a test importing this module still loads.
    ids = readShippedCatalogue().map((entry) => entry.id);
  }
  return [...new Set([...PROVIDER_IDS, ...ids])] as [string, ...string[]];
}

export const PROVIDER_SCOPES: readonly ProviderScope[] = MCP_PROVIDER_IDS.flatMap((id): ProviderScope[] => [`provider:${id}:read`, `provider:${id}:write`]);

/** The read scopes of the three sign-in providers: what a 401 from /mcp suggests first (short, and what most people hold). */
export const SIGN_IN_READ_SCOPES: readonly ProviderScope[] = PROVIDER_IDS.map((id): ProviderScope => `provider:${id}:read`);

const READ_METHODS = new Set(["GET", "HEAD"]);

export function isProviderScope(value: string): value is ProviderScope {
  return (PROVIDER_SCOPES as readonly string[]).includes(value);
}

export function isMcpProvider(value: unknown): value is string {
  return typeof value === "string" && (MCP_PROVIDER_IDS as readonly string[]).includes(value);
}

/** What a consent screen says about one, in the person's words. */
export function describeProviderScope(scope: ProviderScope): string {
  const [, provider, access] = scope.split(":") as [string, string, ProviderAccess];
  const label = providerLabel(provider);
  return access === "read"
    ? `Read your ${label} data through Tessera (look only: no changes). Your ${label} password and tokens stay with Tessera.`
    : `Read and change your ${label} data through Tessera (create, edit and delete what your ${label} connection allows). Your ${label} tokens stay with Tessera.`;
}

/** The scope a call with `method` at `provider` needs: read for GET and HEAD, write for anything else. */
export function providerScopeFor(provider: string, method: string): ProviderScope {
  return `provider:${provider}:${READ_METHODS.has(method.toUpperCase()) ? "read" : "write"}`;
}

/** Whether `granted` allows `method` at `provider`: write includes read. */
export function allowsProviderCall(granted: readonly string[], provider: string, method: string): boolean {
  const needed = providerScopeFor(provider, method);
  return granted.includes(needed) || granted.includes(`provider:${provider}:write`);
}
