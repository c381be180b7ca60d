import type { NextRequest } from "next/server";
import { authenticateApplication, type AuthenticatedApplication } from "@/lib/applications/authenticate-application";
import { exchangeAuthorizationCode, type AppGrantResult } from "@/lib/applications/exchange-authorization-code";
import { refreshAppTokens } from "@/lib/applications/refresh-app-tokens";
import { admitAppTokenRequest, countAppTokenOutcome } from "@/lib/applications/app-token-limits";
import { TOKEN_EXCHANGE_GRANT } from "@/lib/services/exchange-for-provider-token";
import { readClientCredentials } from "./authenticate-client";
import { invalidClient, OAuthError, oauthJson } from "./oauth-error";
import { appTokenSchema } from "./oauth-schemas";
import { asDocumented } from "@/lib/api/as-documented";

export const APP_GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
/** Grants Tessera supports, but for service clients only: an application asking for one is unauthorized_client. */
const SERVICE_ONLY_GRANT_TYPES: readonly string[] = ["client_credentials", TOKEN_EXCHANGE_GRANT];

/** The client id a token request names: from its credentials (Basic or client_secret_post) or, for a public client, the form. */
export function presentedClientId(request: NextRequest, form: Map<string, string>): string | null {
  return readClientCredentials(request, form)?.clientId ?? form.get("client_id") ?? null;
}

/**
 * A confidential app authenticates with its secret (client_secret_basic or _post); a public app sends
 * only client_id and must not send a secret. Anything else is invalid_client (401).
 */
export async function requireApplication(request: NextRequest, form: Map<string, string>): Promise<AuthenticatedApplication> {
  const presented = readClientCredentials(request, form);
  const app = presented ? await authenticateApplication(presented.clientId, presented.secret) : await authenticateApplication(form.get("client_id") ?? "", null);
  if (!app) throw invalidClient();
  return app;
}

/** POST /api/oauth/token for third-party applications: authorization_code (with PKCE) and refresh_token. */
export async function handleAppTokenRequest(request: NextRequest, form: Map<string, string>, grantType: string, ip: string | null): Promise<Response> {
  const app = await requireApplication(request, form);
  if (!(APP_GRANT_TYPES as readonly string[]).includes(grantType)) {
    // RFC 6749 §5.2: a grant this server has but not for this client, versus one it does not have at all.
    if (SERVICE_ONLY_GRANT_TYPES.includes(grantType)) throw new OAuthError(400, "unauthorized_client", "Applications use authorization_code and refresh_token.");
    throw new OAuthError(400, "unsupported_grant_type", "Applications use authorization_code and refresh_token.");
  }
  // A public app's junk from one address never spends its real users' budget (lib/applications/app-token-limits.ts).
  const wait = await admitAppTokenRequest(app, ip);
  if (wait) throw new OAuthError(429, "rate_limited", "Too many requests for this client; try again later.", { "retry-after": String(wait) });
  const result: AppGrantResult =
    grantType === "authorization_code"
      ? await exchangeAuthorizationCode(app, { code: form.get("code"), redirectUri: form.get("redirect_uri"), codeVerifier: form.get("code_verifier") }, ip)
      : await refreshAppTokens(app, { refreshToken: form.get("refresh_token"), scope: form.get("scope") }, ip);
  await countAppTokenOutcome(app, ip, result.ok);
  if (!result.ok) throw new OAuthError(400, result.error, result.description);
  return oauthJson(asDocumented(appTokenSchema, { access_token: result.accessToken, token_type: "Bearer", expires_in: result.expiresIn, refresh_token: result.refreshToken, scope: result.scopes.join(" ") }));
}
