import type { IncomingMessage } from "node:http";
import type Provider from "oidc-provider";
import { findDemoUser, type DemoUser } from "./demo-users";
import type { PlayedConnectProvider } from "./list-connect-providers";

export type ConnectBearer = { user: DemoUser; scopes: Set<string>; grantId: string | undefined };

/**
 * The request's `Authorization: Bearer` token, when it is an unexpired access token the IdP issued to this
 * played provider's client; null otherwise (unknown, expired, revoked and another client's look the same).
 */
export async function findConnectAccessToken(provider: Provider, played: PlayedConnectProvider, req: IncomingMessage): Promise<ConnectBearer | null> {
  const value = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const token = value ? await provider.AccessToken.find(value).catch(() => undefined) : undefined;
  if (!token || token.isExpired || token.clientId !== played.clientId || !token.accountId) return null;
  const user = findDemoUser(token.accountId);
  if (!user) return null;
  return {
    user,
    scopes: new Set(
      String(token.scope ?? "")
        .split(" ")
        .filter(Boolean),
    ),
    grantId: token.grantId,
  };
}
