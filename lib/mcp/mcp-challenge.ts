import { MCP_RESOURCE, protectedResourceMetadataUrl } from "@/lib/oauth-apps/protected-resources";
import { SIGN_IN_READ_SCOPES } from "@/lib/oauth-apps/provider-scopes";

const REALM = 'Bearer realm="tessera"';

/** What a client asks for when it knows nothing yet (RFC 6750 `scope`): reading, never writing; writing is a step-up. */
export const MCP_BASELINE_SCOPES = ["connections:read", ...SIGN_IN_READ_SCOPES];

/**
 * An RFC 6750 / RFC 9728 answer from /mcp: 401 (no or a bad token: where the metadata is, and the baseline
 * scopes) or 403 insufficient_scope (the scopes to step up to). JSON-RPC-shaped body, so an MCP client that
 * reads it sees an error too.
 */
export function mcpChallenge(
  issuer: string,
  kind: { status: 401; error: "invalid_token" | null } | { status: 403; error: "insufficient_scope"; scopes: readonly string[] },
  message: string,
): Response {
  const parts = [REALM];
  if (kind.error) parts.push(`error="${kind.error}"`);
  parts.push(`scope="${(kind.status === 403 ? kind.scopes : MCP_BASELINE_SCOPES).join(" ")}"`);
  parts.push(`resource_metadata="${protectedResourceMetadataUrl(issuer, MCP_RESOURCE)}"`);
  return Response.json(
    { jsonrpc: "2.0", error: { code: -32001, message }, id: null },
    { status: kind.status, headers: { "www-authenticate": parts.join(", "), "cache-control": "no-store" } },
  );
}
