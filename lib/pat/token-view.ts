import type { PersonalAccessToken } from "@/lib/db/generated/client";

export type TokenStatus = "active" | "expired" | "revoked";

/** What any response may say about a PAT. An explicit mapper: a new column never leaks by accident. */
export type TokenView = {
  id: string;
  name: string;
  /** What the owner says it is for ("" when not given). */
  description: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  /** Why it stopped, when not by a person's revocation: "rotated", "leaked", "reuse_detected". */
  revokedReason: string | null;
  /** When it was regenerated (it then works only until `expiresAt`, the end of the overlap). */
  rotatedAt: string | null;
  status: TokenStatus;
  tokenHint: string;
  /** The last 5 distinct client addresses, newest first. */
  recentClients: RecentClient[];
};

export type RecentClient = { ip: string; at: string };

/** The stored JSON, read defensively: only well-formed entries, newest first, at most 5. */
export function parseRecentClients(value: unknown): RecentClient[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((entry): entry is RecentClient => typeof entry?.ip === "string" && typeof entry?.at === "string")
    .map(({ ip, at }) => ({ ip, at }))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 5);
}

export function tokenStatus(token: Pick<PersonalAccessToken, "revokedAt" | "expiresAt">, now = new Date()): TokenStatus {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toTokenView(token: PersonalAccessToken, now = new Date()): TokenView {
  return {
    id: token.id,
    name: token.name,
    description: token.description,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedReason: token.revokedReason,
    rotatedAt: token.rotatedAt?.toISOString() ?? null,
    status: tokenStatus(token, now),
    tokenHint: token.tokenHint,
    recentClients: parseRecentClients(token.recentClients),
  };
}
