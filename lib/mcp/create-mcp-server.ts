import { McpServer, type ServerContext } from "@modelcontextprotocol/server";
import { callProviderApi, CONNECT_INPUT_KEY, type ConnectPrompt } from "./call-provider-api";
import { describeMcpCaller } from "./describe-mcp-caller";
import { listMcpConnections } from "./list-mcp-connections";
import type { McpCaller } from "./mcp-caller";
import { mcpToolError } from "./mcp-tool-error";
import { callProviderApiSchema } from "./mcp-tool-schemas";
import { runMcpTool } from "./run-mcp-tool";

const INSTRUCTIONS =
  "Tessera holds this person's Google, Microsoft and GitHub tokens and calls those APIs for you as them: " +
  "call whoami to say who you act for, list_connections to see what is connected, call_provider_api to call an API. " +
  "Tokens never leave Tessera. When a provider is not connected, the person is asked to open a link (a URL elicitation, or the link in the tool error).";

/**
 * The tools, for one request's caller (each thin: one lib function, run through runMcpTool). The same factory serves
 * both protocol eras (lib/mcp/handle-mcp-request.ts); `era` says which this instance answers.
 */
export function createMcpServer(caller: McpCaller, era: "legacy" | "modern"): McpServer {
  // listChanged false: the three tools never change; the SDK's default (true) would promise list-changed notifications
  // that never come.
  const server = new McpServer(
    { name: "tessera", title: "Tessera", version: "1.0.0" },
    { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
  );
  const json = (value: Record<string, unknown>) => ({ content: [{ type: "text" as const, text: JSON.stringify(value) }], structuredContent: value });

  /*
   * Connect on first use as a URL elicitation only where the client can take one: on a 2026-07-28 request whose
   * envelope declares elicitation.url (the SDK seeds the instance's client capabilities from it), and not again on
   * the retry that answers it (then the link goes in the error text: no loop if the person did not connect). A
   * 2025-era request reaches a fresh stateless instance that never saw the client's initialize, so it cannot know the
   * capability: the tool error with the link.
   */
  const connectPrompt = (ctx: ServerContext): ConnectPrompt =>
    era === "modern" && server.server.getClientCapabilities()?.elicitation?.url !== undefined && ctx.mcpReq.inputResponses?.[CONNECT_INPUT_KEY] === undefined
      ? "url-elicitation"
      : "tool-error";

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
      inputSchema: callProviderApiSchema,
      annotations: { openWorldHint: true },
    },
    (input, ctx) => runMcpTool(caller, "call_provider_api", () => callProviderApi(caller, input, connectPrompt(ctx))),
  );
  return server;
}
