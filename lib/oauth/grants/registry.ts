import { TOKEN_EXCHANGE_GRANT } from "@/lib/service-clients/exchange-for-provider-token";
import type { ClientKind } from "../authenticate-client";
import { type OAuthError, UnauthorizedClient, UnsupportedGrantType } from "../oauth-error";
import { authorizationCodeGrant } from "./authorization-code";
import { clientCredentialsGrant } from "./client-credentials";
import { DEVICE_CODE_GRANT, deviceCodeGrant } from "./device-code";
import { refreshTokenGrant } from "./refresh-token";
import { tokenExchangeGrant } from "./token-exchange";
import type { TokenGrant } from "./token-grant";

/** Every grant of POST /api/oauth/token, by its grant_type (a Map: a grant_type such as "constructor" finds nothing). */
const GRANTS = new Map<string, TokenGrant>([
  ["client_credentials", clientCredentialsGrant],
  [TOKEN_EXCHANGE_GRANT, tokenExchangeGrant],
  ["authorization_code", authorizationCodeGrant],
  ["refresh_token", refreshTokenGrant],
  [DEVICE_CODE_GRANT, deviceCodeGrant],
]);

/** In registry order (the metadata's grant_types_supported). */
export const GRANT_TYPES: readonly string[] = [...GRANTS.keys()];

export const findGrant = (grantType: string): TokenGrant | null => GRANTS.get(grantType) ?? null;

const OFFERED: Record<ClientKind, string> = {
  service: "Supported: client_credentials and token exchange.",
  application: "Applications use authorization_code and refresh_token.",
};

/**
 * The answer when a client asks for a grant it may not use. RFC 6749 §5.2: an application asking for a
 * service client's grant (one this server has, not for it) is unauthorized_client; a grant this server
 * does not have is unsupported_grant_type. A service client asking for an application grant has always
 * been answered unsupported_grant_type; kept as it was.
 */
export function refusedGrant(kind: ClientKind, grant: TokenGrant | null): OAuthError {
  if (kind === "application" && grant?.clientKind === "service") return new UnauthorizedClient(OFFERED[kind]);
  return new UnsupportedGrantType(OFFERED[kind]);
}
