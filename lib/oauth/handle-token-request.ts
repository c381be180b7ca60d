import type { NextRequest } from "next/server";
import type { AuthenticatedServiceClient } from "@/lib/services/authenticate-service-client";
import { consumeServiceRateLimit } from "@/lib/services/consume-service-rate-limit";
import { exchangeForProviderToken, PROVIDER_ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "@/lib/services/exchange-for-provider-token";
import { issueServiceToken, ServiceClientChangedError } from "@/lib/services/issue-service-token";
import { APP_CLIENT_ID_PREFIX } from "@/lib/applications/app-secrets";
import { readClientCredentials, requireClient, requireCountedClient } from "./authenticate-client";
import { handleAppTokenRequest, presentedClientId } from "./handle-app-token-request";
import { invalidClient, invalidRequest, OAuthError, oauthJson } from "./oauth-error";
import { readForm } from "./read-form";
import { asDocumented } from "@/lib/api/as-documented";
import { clientCredentialsTokenSchema, exchangedTokenSchema } from "./oauth-schemas";

export const GRANT_TYPES = ["client_credentials", TOKEN_EXCHANGE_GRANT] as const;

/** Per-client limit, counted in the shared database: 429 with Retry-After once over it. */
export async function throwIfRateLimited(client: AuthenticatedServiceClient): Promise<void> {
  const wait = await consumeServiceRateLimit(client.id, client.rateLimitPerMinute);
  if (wait) throw rateLimited(wait);
}

const rateLimited = (wait: number) => new OAuthError(429, "rate_limited", "Too many requests for this client; try again later.", { "retry-after": String(wait) });

/**
 * POST /api/oauth/token: client_credentials and the RFC 8693 exchange for a user's provider access token
 * (service clients); authorization_code and refresh_token for third-party applications.
 */
export async function handleTokenRequest(request: NextRequest, ip: string | null): Promise<Response> {
  const form = await readForm(request);
  const grantType = form.get("grant_type");
  if (!grantType) throw invalidRequest("grant_type is required.");
  // Third-party applications (tsr_app_…) have their own grants; everything else is a service client.
  if (presentedClientId(request, form)?.startsWith(APP_CLIENT_ID_PREFIX)) return handleAppTokenRequest(request, form, grantType, ip);
  if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
    await requireClient(request, form); // a bad client is still invalid_client first, and nothing is counted
    throw new OAuthError(400, "unsupported_grant_type", "Supported: client_credentials and token exchange.");
  }
  // Authenticated and counted against its per-minute limit in one round trip.
  const { client, retryAfterSeconds } = await requireCountedClient(request, form);
  if (retryAfterSeconds) throw rateLimited(retryAfterSeconds);

  if (grantType === "client_credentials") {
    const requested = form.get("scope")?.split(" ").filter(Boolean);
    const scopes = requested?.length ? [...new Set(requested)] : client.permissions;
    if (scopes.some((scope) => !client.permissions.includes(scope))) throw new OAuthError(400, "invalid_scope", "A requested scope is not granted to this client.");
    // Issued only while the secret just checked is still valid (a rotation or disable may commit meanwhile).
    const issued = await issueServiceToken(client.id, scopes, { presentedSecret: readClientCredentials(request, form)?.secret }).catch((error: unknown) => {
      if (error instanceof ServiceClientChangedError) throw invalidClient();
      throw error;
    });
    return oauthJson(asDocumented(clientCredentialsTokenSchema, { access_token: issued.token, token_type: "Bearer", expires_in: issued.expiresIn, scope: scopes.join(" ") }));
  }

  const result = await exchangeForProviderToken(
    client,
    {
      subjectToken: form.get("subject_token"),
      subjectTokenType: form.get("subject_token_type"),
      requestedTokenType: form.get("requested_token_type"),
      audience: form.get("audience"),
      purpose: form.get("purpose"),
    },
    ip,
  );
  if (!result.ok) {
    if (result.error === "temporarily_unavailable") throw new OAuthError(503, result.error, result.description, { "retry-after": String(result.retryAfterSeconds) });
    throw new OAuthError(400, result.error, result.description);
  }
  // The one response that carries a provider token: the access token, never a refresh token.
  return oauthJson(
    asDocumented(exchangedTokenSchema, {
      access_token: result.accessToken,
      issued_token_type: PROVIDER_ACCESS_TOKEN_TYPE,
      token_type: "Bearer",
      ...(result.expiresIn === null ? {} : { expires_in: result.expiresIn }),
      scope: result.scope,
    }),
  );
}
