import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { hashSessionToken } from "./hash-session-token";

type Context = { userId: string; currentSessionToken: string | null; ip: string | null };

/**
 * Signs out one of the user's own sessions (deleting the row ends it on that browser's next request). Another
 * person's session id is `not_found`, like an unknown one. This device signs out with the header's Sign out.
 */
export async function signOutSession(sessionId: string, context: Context): Promise<"signed_out" | "not_found" | "current"> {
  const currentHash = context.currentSessionToken ? hashSessionToken(context.currentSessionToken) : null;
  return getDb().$transaction(async (tx) => {
    const session = await tx.session.findFirst({ where: { id: sessionId, userId: context.userId }, select: { id: true, sessionToken: true } });
    if (!session) return "not_found" as const;
    if (session.sessionToken === currentHash) return "current" as const;
    await tx.session.deleteMany({ where: { id: session.id, userId: context.userId } });
    await recordAuditEvent(
      {
        action: "session.ended",
        actor: { type: "user", id: context.userId },
        subjectUserId: context.userId,
        ip: context.ip,
        detail: { sessions: 1, by: "owner" },
      },
      tx,
    );
    return "signed_out" as const;
  });
}

/** "Sign out everywhere else": every session of the user except the one making the request. Returns how many ended. */
export async function signOutOtherSessions(context: Context): Promise<number> {
  const currentHash = context.currentSessionToken ? hashSessionToken(context.currentSessionToken) : null;
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({
      where: { userId: context.userId, ...(currentHash ? { sessionToken: { not: currentHash } } : {}) },
    });
    if (count)
      await recordAuditEvent(
        {
          action: "session.ended",
          actor: { type: "user", id: context.userId },
          subjectUserId: context.userId,
          ip: context.ip,
          detail: { sessions: count, by: "owner" },
        },
        tx,
      );
    return count;
  });
}
