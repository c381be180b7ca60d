import { listConnections } from "@/lib/connections/list-connections";
import { isMcpProvider } from "@/lib/oauth-apps/provider-scopes";
import type { McpCaller } from "./mcp-caller";

/**
 * list_connections: per provider, whether Tessera holds API access, the provider scopes granted, whether
 * the person must reconnect, and what this client may do there. Built field by field: never a token, never
 * a token name.
 */
export async function listMcpConnections(caller: McpCaller) {
  const connections = await listConnections(caller.user.id);
  return {
    connections: connections.map((connection) => ({
      provider: connection.provider,
      label: connection.label,
      enabled: connection.enabled,
      apiAccess: connection.status === "api_access",
      needsReconnect: connection.status === "needs_reconnect",
      providerScopes: [...connection.scopes],
      clientMay: isMcpProvider(connection.provider) ? clientAccess(caller.scopes, connection.provider) : "none",
    })),
  };
}

function clientAccess(scopes: readonly string[], provider: string): "read" | "write" | "none" {
  if (scopes.includes(`provider:${provider}:write`)) return "write";
  return scopes.includes(`provider:${provider}:read`) ? "read" : "none";
}
