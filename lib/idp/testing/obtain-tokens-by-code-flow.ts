import { createHash, randomBytes } from "node:crypto";
import { DemoIdpError } from "@/lib/idp/demo-idp-error";
import { completeIdpAuthorization } from "./complete-idp-authorization";
import type { CookieJar } from "./cookie-jar";

export type TokenResponse = {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  token_type: string;
  id_token?: string;
};

type ClientInput = { issuer: string; clientId: string; clientSecret: string };

/**
 * Real tokens from the demo IdP for integration tests, without a browser: authorization request with
 * PKCE → login form → consent → the code from the redirect to `redirectUri` (not followed) → token request.
 * Pass a `jar` to act as one browser across several calls (e.g. switching demo users).
 */
export async function obtainTokensByCodeFlow(
  input: ClientInput & { redirectUri: string; login: string; scope?: string; jar?: CookieJar },
): Promise<TokenResponse> {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(12).toString("base64url");
  const authorization = new URL(`${input.issuer}/auth`);
  authorization.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: input.scope ?? "openid email profile offline_access",
    state,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    prompt: "consent",
  }).toString();

  const callback = await completeIdpAuthorization({ authorizationUrl: authorization.href, redirectUri: input.redirectUri, login: input.login, jar: input.jar });
  const code = callback.searchParams.get("code");
  if (!code) {
    throw new DemoIdpError(
      "authorization_failed",
      `authorization failed: ${callback.searchParams.get("error")} ${callback.searchParams.get("error_description") ?? ""}`.trim(),
    );
  }
  if (callback.searchParams.get("state") !== state) throw new DemoIdpError("authorization_failed", "the IdP returned a different state");

  const response = await postToIdp(`${input.issuer}/token`, input, {
    grant_type: "authorization_code",
    code,
    redirect_uri: input.redirectUri,
    code_verifier: verifier,
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new DemoIdpError("token_request_failed", `token exchange failed: ${String(json.error)}`);
  return json as TokenResponse;
}

/** RFC 7662 introspection at the demo IdP. */
export async function introspectToken(
  issuer: string,
  clientId: string,
  clientSecret: string,
  token: string,
): Promise<{ active: boolean } & Record<string, unknown>> {
  const response = await postToIdp(`${issuer}/token/introspection`, { clientId, clientSecret }, { token });
  if (!response.ok) throw new DemoIdpError("token_request_failed", `introspection failed with HTTP ${response.status}`);
  return (await response.json()) as { active: boolean } & Record<string, unknown>;
}

/** RFC 7009 revocation at the demo IdP; returns the HTTP status (200 also for unknown tokens, per the RFC). */
export async function revokeTokenAtIdp(issuer: string, clientId: string, clientSecret: string, token: string): Promise<number> {
  const response = await postToIdp(`${issuer}/token/revocation`, { clientId, clientSecret }, { token });
  await response.body?.cancel();
  return response.status;
}

/** One refresh_token grant at the demo IdP, answered as-is (status and JSON body). */
export async function refreshAtIdp(
  issuer: string,
  clientId: string,
  clientSecret: string,
  refreshToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await postToIdp(`${issuer}/token`, { clientId, clientSecret }, { grant_type: "refresh_token", refresh_token: refreshToken });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function postToIdp(url: string, client: { clientId: string; clientSecret: string }, form: Record<string, string>): Promise<Response> {
  // client_secret_basic: form-urlencode both parts first (RFC 6749 §2.3.1).
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64");
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", authorization: `Basic ${basic}` },
    body: new URLSearchParams(form),
  });
}
