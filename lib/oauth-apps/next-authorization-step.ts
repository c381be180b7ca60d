import { findGrantedScopes, isCoveredByGrant, issueAuthorizationCode } from "./authorize-application";
import { authorizePath } from "./authorize-path";
import { isClientMetadataDocumentUrl } from "./client-metadata-document";
import { authorizationResponseUrl, validateAuthorizationRequest, type AuthorizationParams, type AuthorizationRequest } from "./authorization-request";

/** What GET /oauth/authorize does next. Only `redirect` leaves Tessera for the application. */
export type AuthorizationStep<Viewer> =
  | { kind: "error-page"; message: string }
  | { kind: "sign-in"; location: string }
  | { kind: "redirect"; location: string }
  | { kind: "consent"; viewer: Viewer; request: AuthorizationRequest; granted: string[] | null };

/**
 * The authorization endpoint's decision, top to bottom (RFC 6749 §4.1.2.1, RFC 9700 §4.11):
 * 1. an unknown or disabled client, or a redirect URI it did not register: Tessera's own error page (a metadata
 *    document client_id is fetched and judged only once someone is signed in: sign-in comes first for it);
 * 2. nobody signed in: sign in first, and come back here. This comes BEFORE any error redirect: anyone who
 *    can sign in can register an app with any https redirect URI, so redirecting a signed-out visitor
 *    with `error=…` would make Tessera an open redirector to that URI for whoever sends the link;
 * 3. other errors go back to the app (the person is signed in and the client and URI are registered);
 * 4. scopes already granted skip the screen (a code goes back at once), for clients a person registered here
 *    only; otherwise the consent screen.
 */
export async function nextAuthorizationStep<Viewer extends { id: string }>(
  params: AuthorizationParams,
  viewer: Viewer | null,
  context: { issuer: string; ip: string | null },
): Promise<AuthorizationStep<Viewer>> {
  // A metadata document client_id makes Tessera fetch a URL: only for someone signed in, never for any visitor
  // a link reaches (the sign-in detour stays on Tessera, so this opens no redirect).
  if (!viewer && isClientMetadataDocumentUrl(params.client_id))
    return { kind: "sign-in", location: `/signin?callbackUrl=${encodeURIComponent(authorizePath(params))}` };
  const validation = await validateAuthorizationRequest(params, context.issuer);
  if (!validation.ok && validation.kind === "fatal") return { kind: "error-page", message: validation.message };
  const signIn = { kind: "sign-in" as const, location: `/signin?callbackUrl=${encodeURIComponent(authorizePath(params))}` };
  if (!viewer) return signIn;
  if (!validation.ok) {
    const { redirectUri, error, description, state } = validation;
    return { kind: "redirect", location: authorizationResponseUrl(redirectUri, { error, error_description: description, state }, context.issuer) };
  }
  const { request } = validation;
  const granted = await findGrantedScopes(viewer.id, request.app.id);
  // A client nobody here registered by hand (RFC 7591, metadata document) is asked about every time: whoever
  // controls its redirect URI or document may have changed since the person last approved it.
  if (request.app.registration !== "manual" || !isCoveredByGrant(request.scopes, granted)) return { kind: "consent", viewer, request, granted };
  const code = await issueAuthorizationCode(viewer.id, request, { consented: false, ip: context.ip });
  // No code: the session ended meanwhile (revoke-all) or the app was disabled: sign in again.
  if (!code) return signIn;
  return { kind: "redirect", location: authorizationResponseUrl(request.redirectUri, { code, state: request.state }, context.issuer) };
}
