import { asDocumented } from "@/lib/http/as-documented";
import { exchangeForProviderToken, exchangeTarget, PROVIDER_ACCESS_TOKEN_TYPE, type ExchangeRequest } from "@/lib/service-clients/exchange-for-provider-token";
import { oauthErrorFor, oauthJson } from "../oauth-error";
import { exchangedTokenSchema } from "../oauth-schemas";
import { serviceGrant } from "./token-grant";

/** RFC 8693: a user's provider access token for a service client (the rules live in exchangeForProviderToken). */
export const tokenExchangeGrant = serviceGrant(
  async ({ client, exchange }, form, ip, { issuer }) => {
    const result = await exchangeForProviderToken(client, exchangeRequest(form), ip, issuer, exchange);
    if (!result.ok) throw oauthErrorFor(result);
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
  },
  // The steady state is read in the client's own statement (issue 26).
  (form, clientId, ip) => exchangeTarget(exchangeRequest(form), clientId, ip),
);

function exchangeRequest(form: Map<string, string>): ExchangeRequest {
  return {
    subjectToken: form.get("subject_token"),
    subjectTokenType: form.get("subject_token_type"),
    requestedTokenType: form.get("requested_token_type"),
    audience: form.get("audience"),
    purpose: form.get("purpose"),
    scope: form.get("scope"),
  };
}
