import { getDb } from "@/lib/db/client";

export type AssistantUsage = { applicationId: string; name: string; calls: number; lastAt: Date };

const WINDOW_DAYS = 30;
// Bounds the scan for a very busy person; the counts are then "at least".
const MAX_EVENTS = 5_000;

/**
 * Per provider, the MCP clients (authorized applications) that called it for the person in the last 30 days, from
 * the audit trail's one event per tool call (issue 24): "who used my access" on /settings/connections, next to the
 * services. Newest first.
 */
export async function listAssistantUsage(userId: string, now = new Date()): Promise<Record<string, AssistantUsage[]>> {
  const events = await getDb().auditEvent.findMany({
    where: {
      subjectUserId: userId,
      action: "application.mcp_tool_called",
      provider: { not: null },
      createdAt: { gte: new Date(now.getTime() - WINDOW_DAYS * 24 * 3600_000) },
    },
    orderBy: { createdAt: "desc" },
    take: MAX_EVENTS,
    select: { actorId: true, provider: true, createdAt: true, detail: true },
  });
  const byProvider: Record<string, Map<string, AssistantUsage>> = {};
  for (const event of events) {
    if (!event.actorId || !event.provider) continue;
    const map = (byProvider[event.provider] ??= new Map());
    const usage = map.get(event.actorId);
    if (usage) usage.calls++;
    else {
      const name = (event.detail as { applicationName?: unknown } | null)?.applicationName;
      map.set(event.actorId, { applicationId: event.actorId, name: typeof name === "string" ? name : "An application", calls: 1, lastAt: event.createdAt });
    }
  }
  return Object.fromEntries(Object.entries(byProvider).map(([provider, map]) => [provider, [...map.values()]]));
}
