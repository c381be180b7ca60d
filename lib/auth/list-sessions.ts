import { getDb } from "@/lib/db/client";
import { describeUserAgent } from "./describe-user-agent";
import { hashSessionToken } from "./hash-session-token";

/** What the sessions page shows about one session: never its token or hash. */
export type SessionView = {
  id: string;
  /** "Firefox on Windows". */
  device: string;
  ip: string | null;
  signedInAt: string;
  lastSeenAt: string | null;
  /** The session this request came with ("this device"). */
  current: boolean;
};

/** The user's live sessions, this device first, then the most recently seen. */
export async function listSessions(userId: string, currentSessionToken: string | null, now = new Date()): Promise<SessionView[]> {
  const currentHash = currentSessionToken ? hashSessionToken(currentSessionToken) : null;
  const rows = await getDb().session.findMany({
    where: { userId, expires: { gt: now } },
    select: { id: true, sessionToken: true, userAgent: true, lastSeenIp: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    take: 100,
  });
  const views = rows.map((row) => ({
    id: row.id,
    device: describeUserAgent(row.userAgent),
    ip: row.lastSeenIp,
    signedInAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    current: row.sessionToken === currentHash,
  }));
  return [...views.filter((v) => v.current), ...views.filter((v) => !v.current)];
}
