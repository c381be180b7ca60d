import type { CallToolResult, InputRequiredResult } from "@modelcontextprotocol/server";
import { logger } from "@/lib/log/logger";
import { consumeMcpRateLimit } from "./consume-mcp-rate-limit";
import type { McpCaller } from "./mcp-caller";
import { mcpToolError } from "./mcp-tool-error";
import { recordMcpToolCall, type McpToolCallRecord } from "./record-mcp-tool-call";

type ToolResult = CallToolResult | InputRequiredResult;
type Run = () => Promise<{ result: ToolResult; record: Omit<McpToolCallRecord, "tool"> }>;

/**
 * Every tool call goes through here: the grant's rate limit (shared across instances), the tool, one
 * audit event, and any exception turned into a tool error naming the request id (logged, never thrown on:
 * one call's failure never becomes a 5xx or stops the process). Error text never carries an exception's
 * message: it could hold a provider's words or a URL with a secret in it.
 */
export async function runMcpTool(caller: McpCaller, tool: string, run: Run): Promise<ToolResult> {
  let result: ToolResult;
  let record: Omit<McpToolCallRecord, "tool">;
  try {
    const wait = await consumeMcpRateLimit({ userId: caller.user.id, applicationId: caller.app.id });
    if (wait) {
      result = mcpToolError(`Too many calls from this client for this person; try again in ${wait} s.`);
      record = { outcome: "rate_limited" };
    } else {
      ({ result, record } = await run());
    }
  } catch (error) {
    logger.error({ err: error, requestId: caller.requestId, tool, applicationId: caller.app.id, userId: caller.user.id }, "mcp: tool call failed");
    result = mcpToolError(`Tessera could not complete ${tool} (request id ${caller.requestId}); try again later.`);
    record = { outcome: "error" };
  }
  try {
    await recordMcpToolCall(caller, { tool, ...record });
  } catch (error) {
    logger.error({ err: error, requestId: caller.requestId, tool }, "mcp: could not record the tool call in the audit trail");
  }
  return result;
}
