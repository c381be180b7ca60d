import { describeAuditEvents, type AuditEventView } from "@/lib/audit/describe-audit-events";
import { getDb } from "@/lib/db/client";
import { listConnections, type ConnectionView } from "@/lib/connections/list-connections";
import { toTokenView, type TokenView } from "@/lib/pat/token-view";
import { providerLabel } from "@/lib/providers/catalog";

export type StoredTokensByProvider = { provider: string; label: string; tokenNames: string[]; count: number; status: ConnectionView["status"] };

export type UserSecurity = {
  user: { id: string; email: string | null; name: string | null; role: "USER" | "ADMIN"; createdAt: Date; lastSignInAt: Date | null };
  storedTokens: StoredTokensByProvider[];
  connections: ConnectionView[];
  pats: TokenView[];
  activeSessions: number;
  /** Applications the user authorized: names and scopes (never a token). */
  appGrants: { name: string; scopes: string[] }[];
  recentEvents: AuditEventView[];
};

/** What an account can reach: token names and counts per provider (never values), PATs, sessions, events. */
export async function getUserSecurity(userId: string): Promise<UserSecurity | null> {
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, createdAt: true, lastSignInAt: true },
  });
  if (!user) return null;
  const now = new Date();
  const [connections, pats, activeSessions, appGrants, recentEvents] = await Promise.all([
    listConnections(userId),
    db.personalAccessToken.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 }),
    db.session.count({ where: { userId, expires: { gt: now } } }),
    db.oAuthGrant.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 200, select: { scopes: true, application: { select: { name: true } } } }),
    db.auditEvent.findMany({
      where: { subjectUserId: userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      select: {
        id: true,
        action: true,
        actorType: true,
        actorId: true,
        subjectUserId: true,
        provider: true,
        tokenNames: true,
        ip: true,
        detail: true,
        createdAt: true,
      },
    }),
  ]);
  return {
    user,
    storedTokens: getStoredTokens(connections),
    connections,
    pats: pats.map((p) => toTokenView(p, now)),
    activeSessions,
    appGrants: appGrants.map((grant) => ({ name: grant.application.name, scopes: grant.scopes })),
    recentEvents: await describeAuditEvents(recentEvents),
  };
}

export function getStoredTokens(connections: ConnectionView[]): StoredTokensByProvider[] {
  return connections
    .filter((c) => c.tokenNames.length)
    .map((c) => ({ provider: c.provider, label: providerLabel(c.provider), tokenNames: c.tokenNames, count: c.tokenNames.length, status: c.status }));
}

/** "Microsoft (3), GitHub (1)" */
export function describeStoredTokens(stored: StoredTokensByProvider[]): string {
  return stored.length ? stored.map((s) => `${s.label} (${s.count})`).join(", ") : "none";
}
