import type { CallToolResult } from "@modelcontextprotocol/server";

/** A tool error (MCP `isError`): the assistant reads the text and can tell the person what to do. Never a token. */
export function mcpToolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}
