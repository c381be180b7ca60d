import { verifyCredential } from "@/lib/access-tokens/verify-credential";
import { resourceUrl } from "@/lib/oauth-apps/protected-resources";

export type Introspection =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id?: string;
      username?: string;
      sub: string;
      token_type: "Bearer" | "refresh_token";
      exp: number;
      iat: number;
      aud?: string;
    };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * RFC 7662: what a resource server may know about a Tessera token. PATs, service access tokens and
 * applications' access and refresh tokens; unknown, revoked, expired, used, malformed (and a disabled or
 * deleted service's or app's tokens) are `{active:false}` and nothing else, so a caller cannot tell them
 * apart. `active` is exactly verifyCredential's `ok`: the same check the API runs, and it notes no use.
 * `aud` (RFC 7662 §2.2): an application token's one resource (RFC 8707), as the URL under `issuer`; PATs
 * and service tokens have none.
 */
export async function introspectToken(presented: string, context: { issuer?: string; now?: Date } = {}): Promise<Introspection> {
  const result = await verifyCredential(presented, { now: context.now ?? new Date() });
  if (!result.ok) return { active: false };
  const principal = result.principal;
  const times = { exp: seconds(principal.token.expiresAt), iat: seconds(principal.token.createdAt) };
  const scope = principal.token.scopes.join(" ");
  switch (principal.kind) {
    case "service": {
      const { client } = principal.token;
      return { active: true, scope, client_id: client.clientId, username: client.name, sub: client.clientId, token_type: "Bearer", ...times };
    }
    case "app_access":
    case "app_refresh": {
      const token_type = principal.kind === "app_access" ? "Bearer" : "refresh_token";
      const aud = context.issuer ? resourceUrl(context.issuer, principal.token.audience) : undefined;
      return {
        active: true,
        scope,
        client_id: principal.app.clientId,
        username: principal.user.email ?? undefined,
        sub: principal.user.id,
        token_type,
        ...times,
        ...(aud ? { aud } : {}),
      };
    }
    case "pat":
      return { active: true, scope, username: principal.user.email ?? undefined, sub: principal.user.id, token_type: "Bearer", ...times };
  }
}
