import { findAppToken } from "@/lib/applications/find-app-token";
import { constantTimeEqual, hashSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { parsePresentedPat } from "@/lib/pat/format";
import { getPatPepper } from "@/lib/pat/pat-pepper";
import { verifyServiceToken } from "@/lib/services/verify-service-token";

export type Introspection =
  | { active: false }
  | { active: true; scope: string; client_id?: string; username?: string; sub: string; token_type: "Bearer" | "refresh_token"; exp: number; iat: number };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * RFC 7662: what a resource server may know about a Tessera token. PATs, service access tokens and
 * applications' access and refresh tokens;
 * unknown, revoked, expired, malformed (and a disabled or deleted service's tokens) are `{active:false}`
 * and nothing else, so a caller cannot tell them apart.
 */
export async function introspectToken(presented: string, now = new Date()): Promise<Introspection> {
  const service = await verifyServiceToken(presented, now);
  if (service) {
    return { active: true, scope: service.scopes.join(" "), client_id: service.client.clientId, username: service.client.name, sub: service.client.clientId, token_type: "Bearer", exp: seconds(service.expiresAt), iat: seconds(service.createdAt) };
  }
  const app = await findAppToken(presented, now);
  if (app) {
    if (!app.active) return { active: false };
    const token_type = app.kind === "access" ? "Bearer" : "refresh_token";
    return { active: true, scope: app.scopes.join(" "), client_id: app.clientId, username: app.user.email ?? undefined, sub: app.user.id, token_type, exp: seconds(app.expiresAt), iat: seconds(app.createdAt) };
  }
  const parsed = parsePresentedPat(presented);
  if (!parsed.ok) return { active: false };
  const tokenHash = hashSecret(parsed.secret, getPatPepper());
  const pat = await getDb().personalAccessToken.findUnique({ where: { tokenHash }, include: { user: { select: { id: true, email: true } } } });
  if (!pat || !constantTimeEqual(pat.tokenHash, tokenHash) || pat.revokedAt || pat.expiresAt.getTime() <= now.getTime()) return { active: false };
  return { active: true, scope: pat.scopes.join(" "), username: pat.user.email ?? undefined, sub: pat.user.id, token_type: "Bearer", exp: seconds(pat.expiresAt), iat: seconds(pat.createdAt) };
}
