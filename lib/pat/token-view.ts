import type { PersonalAccessToken } from "@/lib/db/generated/client";

export type TokenStatus = "active" | "expired" | "revoked";

/** What any response may say about a PAT. An explicit mapper: a new column never leaks by accident. */
export type TokenView = {
  id: string;
  name: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  status: TokenStatus;
  tokenHint: string;
};

export function tokenStatus(token: Pick<PersonalAccessToken, "revokedAt" | "expiresAt">, now = new Date()): TokenStatus {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

export function toTokenView(token: PersonalAccessToken, now = new Date()): TokenView {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    status: tokenStatus(token, now),
    tokenHint: token.tokenHint,
  };
}
