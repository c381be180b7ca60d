import { exchangeAuthorizationCode } from "@/lib/oauth-apps/exchange-authorization-code";
import { requestedResource } from "./requested-resource";
import { applicationGrant } from "./token-grant";

/** RFC 6749 §4.1.3 with PKCE (RFC 7636): an application redeems the code its user approved. */
export const authorizationCodeGrant = applicationGrant((app, form, ip, { issuer }) =>
  exchangeAuthorizationCode(
    app,
    { code: form.get("code"), redirectUri: form.get("redirect_uri"), codeVerifier: form.get("code_verifier"), resource: requestedResource(form, issuer) },
    ip,
  ),
);
