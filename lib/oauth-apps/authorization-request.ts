import { findAuthorizingClient } from "./find-authorizing-client";
import { defaultScopesOf, parseAppScopes, type AppScope } from "./app-scopes";
import { isS256Challenge } from "./app-secrets";
import { findProtectedResource, resolveResource } from "./protected-resources";
import { matchesRegisteredRedirectUri } from "./redirect-uri";

/** The query of GET /oauth/authorize (and the consent form's hidden fields), as received. */
export type AuthorizationParams = Partial<
  Record<"client_id" | "redirect_uri" | "response_type" | "scope" | "state" | "code_challenge" | "code_challenge_method", string>
> & {
  /** Several when sent several times (RFC 8707 §2 allows it): kept, so the request is refused rather than read as one without. */
  resource?: string | string[];
};

export const AUTHORIZATION_PARAM_NAMES = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "resource",
] as const;

export type AuthorizingApplication = {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  homepageUrl: string | null;
  /** Null for a client nobody here registered by hand. */
  owner: { name: string | null; email: string | null } | null;
  /** How the client came to exist: the consent screen says so when it was not a person here. */
  registration: (typeof REGISTRATION_KIND)[keyof typeof REGISTRATION_KIND];
};

/** `resource`: the path of the protected resource its tokens will be for (lib/oauth-apps/protected-resources.ts). */
export type AuthorizationRequest = {
  app: AuthorizingApplication;
  redirectUri: string;
  scopes: AppScope[];
  state: string | null;
  codeChallenge: string;
  resource: string;
};

/**
 * What to do with an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3):
 * - `fatal`: the client or redirect URI cannot be trusted: Tessera shows its own error page and never
 *   redirects (§4.1.2.1: an open redirector otherwise);
 * - `redirect`: any other problem goes back to the app's registered redirect URI as `error=…`;
 * - `ok`: ask the person (or skip the screen when they already granted these scopes).
 */
export type AuthorizationValidation =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; kind: "fatal"; message: string }
  | { ok: false; kind: "redirect"; redirectUri: string; error: RedirectError; description: string; state: string | null };

type RedirectError = "invalid_request" | "unsupported_response_type" | "invalid_scope" | "invalid_target";

const MAX_STATE_LENGTH = 500;

/** How a client came to exist, in the words the pages use (the database's enum, lower-cased). */
export const REGISTRATION_KIND = { MANUAL: "manual", DYNAMIC: "dynamic", METADATA_DOCUMENT: "metadata_document" } as const;

/** The consent screen's view of an application row (with its owner, if any). */
export function authorizingApplication(app: {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  homepageUrl: string | null;
  owner: AuthorizingApplication["owner"];
  registration: keyof typeof REGISTRATION_KIND;
}): AuthorizingApplication {
  const { id, clientId, name, description, homepageUrl, owner } = app;
  return { id, clientId, name, description, homepageUrl, owner, registration: REGISTRATION_KIND[app.registration] };
}

/** `issuer`: the origin a `resource` parameter must be on (without it, any `resource` is invalid_target). */
export async function validateAuthorizationRequest(params: AuthorizationParams, issuer?: string): Promise<AuthorizationValidation> {
  if (!params.client_id) return { ok: false, kind: "fatal", message: "The request names no application (client_id is missing)." };
  const found = await findAuthorizingClient(params.client_id);
  if (!found.ok) return { ok: false, kind: "fatal", message: found.reason };
  const { app } = found;
  if (!params.redirect_uri) return { ok: false, kind: "fatal", message: "The request has no redirect_uri." };
  // A registered URI character for character (no prefix, no normalisation); a loopback one on any port (RFC 8252 §7.3).
  if (!matchesRegisteredRedirectUri(app.redirectUris, params.redirect_uri))
    return { ok: false, kind: "fatal", message: "The redirect_uri is not one this application registered." };

  const redirectUri = params.redirect_uri;
  const state = params.state ?? null;
  const back = (error: RedirectError, description: string) => ({ ok: false as const, kind: "redirect" as const, redirectUri, error, description, state });
  if (state !== null && (state.length > MAX_STATE_LENGTH || /[\u0000-\u001f\u007f]/.test(state)))
    return back("invalid_request", `state must be at most ${MAX_STATE_LENGTH} printable characters.`);
  if (params.response_type !== "code") return back("unsupported_response_type", "Only response_type=code is supported.");
  if (!params.code_challenge) return back("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.");
  if (params.code_challenge_method !== "S256") return back("invalid_request", "Only code_challenge_method=S256 is supported.");
  if (!isS256Challenge(params.code_challenge)) return back("invalid_request", "code_challenge must be a base64url SHA-256 digest (43 characters).");
  // A token here is for exactly one audience, so several resources cannot be honoured (RFC 8707 §2: invalid_target).
  if (Array.isArray(params.resource)) return back("invalid_target", "Send one resource: a token of this server is for exactly one protected resource.");
  const resource = resolveResource(params.resource, issuer);
  if (!resource) return back("invalid_target", "resource must be the URL of one of this server's protected resources (RFC 8707).");
  // RFC 6749 §3.3: no `scope` at all asks for what the app registered (an empty one is still refused); the
  // scopes are the resource's own (provider scopes only for /mcp, the API's never there).
  const target = findProtectedResource(resource)!;
  const scopes = params.scope === undefined ? defaultScopesOf(app.defaultScopes, target) : parseAppScopes(params.scope, target.scopes);
  if (!scopes) return back("invalid_scope", `scope must list one or more scopes ${target.name} accepts from an application (never admin).`);

  return {
    ok: true,
    request: {
      app: authorizingApplication(app),
      redirectUri,
      scopes,
      state,
      codeChallenge: params.code_challenge,
      resource,
    },
  };
}

/** The app's redirect URI with the response parameters added (its own query kept), and `iss` (RFC 9207). */
export function authorizationResponseUrl(redirectUri: string, params: Record<string, string | null>, issuer: string): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  url.searchParams.set("iss", issuer);
  return url.toString();
}
