import { protectedResourceMetadataSchema } from "@/lib/oauth/protected-resource-metadata";
import { defineArea } from "../route-doc";

export const mcpArea = defineArea({
  tag: {
    name: "MCP server",
    description:
      'Tessera as an MCP server (Streamable HTTP, JSON-RPC) at `/mcp`: tools `whoami`, `list_connections` and `call_provider_api`, for an application the person authorized with `resource=<issuer>/mcp`. Its scopes: `connections:read`, and per provider `provider:<id>:read` (GET and HEAD) or `provider:<id>:write`. README, "Adding Tessera to an MCP client".',
  },
  routes: [
    {
      method: "GET",
      path: "/.well-known/oauth-protected-resource/mcp",
      access: { kind: "public" },
      operation: {
        operationId: "getMcpProtectedResourceMetadata",
        summary: "Protected-resource metadata of the MCP endpoint (RFC 9728)",
        description:
          'The MCP endpoint\'s document (`resource` is `<issuer>/mcp`, the value to send as `resource`). Every 401 and 403 from `/mcp` names it in `WWW-Authenticate: Bearer … resource_metadata="…"`.',
        responses: {
          200: {
            description: "The resource, its authorization server (Tessera) and the scopes it accepts from applications.",
            content: { "application/json": { schema: protectedResourceMetadataSchema } },
          },
        },
      },
    },
  ],
});
