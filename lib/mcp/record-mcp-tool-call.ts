import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { McpCaller } from "./mcp-caller";
import { pathTemplate } from "./path-template";

/** What one tool call did, for the audit trail: never a body, a query value or a token. */
export type McpToolCallRecord = {
  tool: string;
  /** ok, or why not (a tool error's code, e.g. not_connected, insufficient_scope, upstream_timeout). */
  outcome: string;
  provider?: string | null;
  method?: string | null;
  /** The path as called; the trail keeps its template (ids replaced), never the query. */
  path?: string | null;
  /** The provider's status, or null when it never answered. */
  status?: number | null;
};

/** One audit event per tool call: the client, the person, and what it asked of which provider (issue 24 "the person stays in charge"). */
export async function recordMcpToolCall(caller: McpCaller, record: McpToolCallRecord): Promise<void> {
  await recordAuditEvent({
    action: "application.mcp_tool_called",
    actor: { type: "application", id: caller.app.id },
    subjectUserId: caller.user.id,
    provider: record.provider ?? null,
    ip: caller.ip,
    detail: {
      clientId: caller.app.clientId,
      applicationName: caller.app.name,
      tool: record.tool.slice(0, 100),
      outcome: record.outcome,
      method: record.method ?? null,
      path: record.path ? pathTemplate(record.path) : null,
      status: record.status ?? null,
      requestId: caller.requestId,
    },
  });
}
