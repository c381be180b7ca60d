import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { callProviderApi } from "./call-provider-api";
import { describeMcpCaller } from "./describe-mcp-caller";
import { listMcpConnections } from "./list-mcp-connections";
import type { McpCaller } from "./mcp-caller";
import { mcpToolError } from "./mcp-tool-error";
import { callProviderApiShape } from "./mcp-tool-schemas";
import { runMcpTool } from "./run-mcp-tool";

const INSTRUCTIONS =
  "Tessera holds this person's Google, Microsoft and GitHub tokens and calls those APIs for you as them: " +
  "call whoami to say who you act for, list_connections to see what is connected, call_provider_api to call an API. " +
  "Tokens never leave Tessera. When a provider is not connected, the tool error carries a link for the person to open.";

/** The tools, for one request's caller (each thin: one lib function, run through runMcpTool). */
export function createMcpServer(caller: McpCaller): McpServer {
  const server = new McpServer({ name: "tessera", title: "Tessera", version: "1.0.0" }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const json = (value: Record<string, unknown>) => ({ content: [{ type: "text" as const, text: JSON.stringify(value) }], structuredContent: value });

  server.registerTool(
    "whoami",
    { title: "Who am I acting for", description: "The person who authorized this client, and the client itself.", annotations: { readOnlyHint: true } },
    () => runMcpTool(caller, "whoami", async () => ({ result: json(describeMcpCaller(caller)), record: { outcome: "ok" } })),
  );

  server.registerTool(
    "list_connections",
    {
      title: "List connections",
      description:
        "Each provider: whether Tessera holds API access for the person, the provider scopes granted, whether they must reconnect, and what this client may do there.",
      annotations: { readOnlyHint: true },
    },
    () =>
      runMcpTool(caller, "list_connections", async () =>
        caller.scopes.includes("connections:read")
          ? { result: json(await listMcpConnections(caller)), record: { outcome: "ok" } }
          : { result: mcpToolError("This client was not granted connections:read."), record: { outcome: "insufficient_scope" } },
      ),
  );

  server.registerTool(
    "call_provider_api",
    {
      title: "Call a provider's API as the person",
      description:
        "Calls Google, Microsoft Graph or GitHub as the person who authorized this client, through Tessera (which holds the tokens). " +
        "Returns the status, selected headers and the body (JSON as structured content). GET/HEAD need provider:<id>:read; other methods provider:<id>:write.",
      inputSchema: callProviderApiShape,
      annotations: { openWorldHint: true },
    },
    (input) => runMcpTool(caller, "call_provider_api", () => callProviderApi(caller, input)),
  );
  return server;
}
