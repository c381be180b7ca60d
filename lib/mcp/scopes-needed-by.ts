import { allowsProviderCall, providerScopeFor } from "@/lib/oauth-apps/provider-scopes";
import { isMcpProvider } from "@/lib/oauth-apps/provider-scopes";

/**
 * The scopes a JSON-RPC message (or batch) needs that `granted` lacks: read before the SDK runs it, so the
 * client gets an HTTP 403 insufficient_scope naming the scope to step up to (MCP authorization, "scope
 * challenge"), instead of a tool error it cannot act on. Anything it cannot read needs nothing here:
 * the SDK answers malformed messages, and each tool checks its scope again.
 */
export function scopesNeededBy(message: unknown, granted: readonly string[]): string[] {
  const needed = new Set<string>();
  for (const item of Array.isArray(message) ? message : [message]) {
    if (!item || typeof item !== "object" || (item as { method?: unknown }).method !== "tools/call") continue;
    const params = (item as { params?: { name?: unknown; arguments?: unknown } }).params;
    const args = (params?.arguments ?? {}) as { provider?: unknown; method?: unknown };
    if (params?.name === "list_connections" && !granted.includes("connections:read")) needed.add("connections:read");
    if (params?.name === "call_provider_api" && isMcpProvider(args.provider) && typeof args.method === "string") {
      if (!allowsProviderCall(granted, args.provider, args.method)) needed.add(providerScopeFor(args.provider, args.method));
    }
  }
  return [...needed];
}
