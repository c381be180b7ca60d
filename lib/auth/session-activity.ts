import { getDb } from "@/lib/db/client";

/** "Last seen" is written at most this often per session: a page view is not worth a write. */
export const LAST_SEEN_INTERVAL_MS = 5 * 60_000;

/** Where a request came from, as the sessions page shows it. The User-Agent is capped: it is only for display. */
export type SessionClient = { ip: string | null; userAgent: string | null };

export function readSessionClient(headers: { get(name: string): string | null }, ip: string | null): SessionClient {
  const userAgent = headers.get("user-agent");
  return { ip, userAgent: userAgent ? userAgent.slice(0, 512) : null };
}

/**
 * Notes that a session was used now, from this address and browser, when its last note is over
 * LAST_SEEN_INTERVAL_MS old (or missing). Conditional on the old value, so of two instances or two tabs
 * only one writes.
 */
export async function noteSessionSeen(session: { id: string; lastSeenAt: Date | null }, client: SessionClient, now = new Date()): Promise<void> {
  if (session.lastSeenAt && now.getTime() - session.lastSeenAt.getTime() < LAST_SEEN_INTERVAL_MS) return;
  await getDb().session.updateMany({
    where: { id: session.id, lastSeenAt: session.lastSeenAt },
    data: { lastSeenAt: now, lastSeenIp: client.ip, ...(client.userAgent ? { userAgent: client.userAgent } : {}) },
  });
}
