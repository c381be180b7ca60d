import * as oauth from "oauth4webapi";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { parseScopes } from "@/lib/provider-tokens/refresh-at-provider";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { PROVIDER_TIMEOUT_MS } from "@/lib/provider-tokens/provider-http";
import { getConnectProvider, type ConnectProvider } from "@/lib/providers/catalog";
import { CONNECT_CALLBACK_PATH } from "@/lib/providers/demo-connect";
import { ConnectError, type ConnectFailure } from "./connect-error";
import { openConnectSecrets } from "./connect-secrets";
import { readProviderAccount } from "./read-provider-account";
import { FLOW_LIFETIME_MS, hashState } from "./start-connect";

export type ConnectResult = { provider: string; scopes: string[]; accountName: string | null; requestedByName: string | null };

/**
 * The callback of a connect flow, for the signed-in person: finds the request by its state, consumes it once
 * (a replayed callback finds it used), trades the code at the provider with oauth4webapi (PKCE, nonce and RFC 9207
 * `iss` checked), reads which account it is, and stores the tokens through the same store sign-in uses (encrypted,
 * then refreshed, revoked and audited like every other connection). Granted scopes are what the provider's answer
 * says (RFC 6749 §5.1: an answer without `scope` granted exactly what was asked).
 * Every network call runs after the request row is consumed and outside any transaction.
 */
export async function completeConnect(input: { userId: string; callbackUrl: URL; origin: string }): Promise<ConnectResult> {
  const params = input.callbackUrl.searchParams;
  const state = params.get("state");
  if (!state) throw new ConnectError("not_found");
  const db = getDb();
  const request = await db.providerConnectRequest.findUnique({ where: { stateHash: hashState(state) } });
  if (!request?.startedAt || !request.secretsCiphertext) throw new ConnectError("not_found");
  if (request.userId !== input.userId) throw new ConnectError("other_person");
  if (request.completedAt) throw new ConnectError("used");
  if (request.startedAt.getTime() + FLOW_LIFETIME_MS <= Date.now()) throw new ConnectError("expired");
  const consumed = await db.providerConnectRequest.updateMany({ where: { id: request.id, completedAt: null }, data: { completedAt: new Date() } });
  if (consumed.count !== 1) throw new ConnectError("used");

  const fail = async (code: ConnectFailure, reason: string): Promise<never> => {
    await recordAuditEvent({
      action: "connection.connect_failed",
      actor: { type: "user", id: input.userId },
      subjectUserId: input.userId,
      provider: request.provider,
      detail: { requestId: request.id, reason },
    });
    throw new ConnectError(code);
  };

  const provider = getConnectProvider(request.provider);
  if (!provider) return fail("provider_disabled", "provider not enabled");
  const secrets = openConnectSecrets(request.id, request.secretsCiphertext);
  if (!secrets) return fail("expired", "flow secrets do not open");
  const providerError = params.get("error");
  if (providerError) return fail(providerError === "access_denied" ? "denied" : "provider_error", `provider answered ${providerError.slice(0, 60)}`);

  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await exchangeCode(provider, params, state, `${input.origin}${CONNECT_CALLBACK_PATH}`, secrets);
  } catch (error) {
    // oauth4webapi names what was wrong (bad state, issuer, nonce, an error answer); the code and tokens never reach the log.
    const unreachable = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError" || error.message === "fetch failed");
    const reason =
      error instanceof oauth.ResponseBodyError ? `token endpoint answered ${error.error}` : error instanceof Error ? error.message.slice(0, 120) : "unknown";
    return fail(unreachable ? "provider_unreachable" : "provider_error", reason);
  }

  const granted = typeof tokens.scope === "string" ? parseScopes(tokens.scope) : request.scopes;
  const account = await readProviderAccount(provider.entry, tokens.access_token, tokens as Record<string, unknown>);
  await storeSignInTokens(
    input.userId,
    request.provider,
    {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      idToken: tokens.id_token ?? null,
      expiresAt: typeof tokens.expires_in === "number" ? new Date(Date.now() + tokens.expires_in * 1000) : null,
      scopes: granted,
      tokenType: tokens.token_type,
      providerAccountId: account.id,
    },
    { type: "user", id: input.userId },
  );
  return { provider: request.provider, scopes: granted, accountName: account.name, requestedByName: request.requestedByName };
}

async function exchangeCode(
  { entry, clientId, clientSecret }: ConnectProvider,
  params: URLSearchParams,
  state: string,
  redirectUri: string,
  secrets: { codeVerifier: string; nonce: string | null },
): Promise<oauth.TokenEndpointResponse> {
  const as: oauth.AuthorizationServer = {
    // Without a known issuer there is no `iss` to compare (RFC 9207 §2.4): the parameter is dropped, not trusted.
    issuer: entry.issuer ?? new URL(entry.authorizationUrl).origin,
    authorization_endpoint: entry.authorizationUrl,
    token_endpoint: entry.tokenUrl,
  };
  const callback = new URLSearchParams(params);
  if (!entry.issuer) callback.delete("iss");
  const client: oauth.Client = { client_id: clientId };
  const auth = entry.clientAuth === "client_secret_basic" ? oauth.ClientSecretBasic(clientSecret) : oauth.ClientSecretPost(clientSecret);
  const checked = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, checked, redirectUri, entry.pkce ? secrets.codeVerifier : oauth.nopkce, {
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    // Plain http only where the catalogue allows it: loopback (the demo IdP, an operator's local provider).
    [oauth.allowInsecureRequests]: new URL(entry.tokenUrl).protocol === "http:",
  });
  return oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: secrets.nonce ?? oauth.expectNoNonce,
    requireIdToken: false,
  });
}
