import { getDb } from "@/lib/db/client";

export type ServiceUsage = {
  serviceClientId: string;
  name: string;
  /** What the administrator who registered it said it does; null when they said nothing. */
  description: string | null;
  /** Who to ask about it: the registering administrator's name or address; null when unknown. */
  owner: string | null;
  /** Successful exchanges in the window. */
  count: number;
  /** Calls through the provider API proxy in the window (issue 11). */
  proxyCalls: number;
  /** The last exchange or proxied call, and its purpose. */
  lastAt: Date | null;
  lastPurpose: string | null;
  blocked: boolean;
};

export const USAGE_WINDOW_DAYS = 30;
// Bounds the scan for a very busy person; the counts are then "at least".
const MAX_EVENTS = 5_000;

/**
 * Per provider, the services that obtained the person's token in the last 30 days (from the audit trail:
 * name, count, last time, last purpose) or called the provider through the proxy (the per-minute counts),
 * plus every service the person blocked there. Deleted services drop out.
 */
export async function listServiceUsage(userId: string, now = new Date()): Promise<Record<string, ServiceUsage[]>> {
  const db = getDb();
  const since = new Date(now.getTime() - USAGE_WINDOW_DAYS * 24 * 3600_000);
  const [events, blocks, proxied] = await Promise.all([
    db.auditEvent.findMany({
      where: {
        subjectUserId: userId,
        action: "service.token_exchanged",
        createdAt: { gte: since },
        detail: { path: ["outcome"], equals: "success" },
      },
      orderBy: { createdAt: "desc" },
      take: MAX_EVENTS,
      select: { actorId: true, provider: true, createdAt: true, detail: true },
    }),
    db.serviceBlock.findMany({ where: { userId }, select: { serviceClientId: true, provider: true } }),
    db.serviceProxyUsage.findMany({
      where: { userId, minute: { gte: since } },
      orderBy: { lastAt: "desc" },
      take: MAX_EVENTS,
      select: { serviceClientId: true, provider: true, calls: true, lastAt: true, lastPurpose: true },
    }),
  ]);
  const clientIds = [
    ...new Set(
      [...events.map((e) => e.actorId), ...blocks.map((b) => b.serviceClientId), ...proxied.map((p) => p.serviceClientId)].filter((id): id is string =>
        Boolean(id),
      ),
    ),
  ];
  const clients = await db.serviceClient.findMany({ where: { id: { in: clientIds } }, select: { id: true, name: true, description: true, ownerUserId: true } });
  const ownerIds = [...new Set(clients.map((c) => c.ownerUserId).filter((id): id is string => Boolean(id)))];
  const owners = new Map(
    (await db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name || u.email]),
  );
  const names = new Map(clients.map((c) => [c.id, c.name]));
  const about = new Map(
    clients.map((c) => [c.id, { description: c.description?.trim() || null, owner: (c.ownerUserId && owners.get(c.ownerUserId)) || null }]),
  );
  const blocked = new Set(blocks.map((b) => `${b.provider}\u0000${b.serviceClientId}`));

  const byProvider: Record<string, Map<string, ServiceUsage>> = {};
  const entry = (provider: string, id: string): ServiceUsage | null => {
    const name = names.get(id);
    if (!name) return null;
    const map = (byProvider[provider] ??= new Map());
    let usage = map.get(id);
    if (!usage) {
      usage = {
        serviceClientId: id,
        name,
        ...about.get(id)!,
        count: 0,
        proxyCalls: 0,
        lastAt: null,
        lastPurpose: null,
        blocked: blocked.has(`${provider}\u0000${id}`),
      };
      map.set(id, usage);
    }
    return usage;
  };
  for (const event of events) {
    if (!event.actorId || !event.provider) continue;
    const usage = entry(event.provider, event.actorId);
    if (!usage) continue;
    usage.count++;
    if (!usage.lastAt) {
      usage.lastAt = event.createdAt;
      const purpose = (event.detail as { purpose?: unknown } | null)?.purpose;
      usage.lastPurpose = typeof purpose === "string" ? purpose : null;
    }
  }
  for (const row of proxied) {
    const usage = entry(row.provider, row.serviceClientId);
    if (!usage) continue;
    usage.proxyCalls += row.calls;
    // Rows come newest first: the first one that is newer than the last exchange names the last purpose.
    if (!usage.lastAt || row.lastAt > usage.lastAt) {
      usage.lastAt = row.lastAt;
      usage.lastPurpose = row.lastPurpose;
    }
  }
  for (const block of blocks) entry(block.provider, block.serviceClientId);
  return Object.fromEntries(
    Object.entries(byProvider).map(([provider, map]) => [provider, [...map.values()].sort((a, b) => (b.lastAt?.getTime() ?? 0) - (a.lastAt?.getTime() ?? 0))]),
  );
}
