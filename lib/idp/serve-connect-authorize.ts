import type { IncomingMessage, ServerResponse } from "node:http";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { renderErrorPage } from "./render-error-page";

/**
 * `GET /connect/<id>/authorize`, the provider's authorization URL. Checked here, in the provider's own terms:
 * the client, the exact redirect URI (an error page otherwise: never a redirect to an unregistered URI), the
 * response type and the scopes in the entry's separator. The request then continues as oidc-provider's own
 * `/auth` (same process, no extra hop), so login, consent, the IdP session and PKCE are oidc-provider's:
 * a person already signed in at the demo IdP only confirms. Other parameters (Atlassian's audience, …) are dropped.
 */
export function serveConnectAuthorize(
  played: PlayedConnectProvider,
  redirectUris: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
  continueAsAuth: (req: IncomingMessage, res: ServerResponse) => unknown,
): unknown {
  if (req.method !== "GET") return void res.writeHead(405, { allow: "GET" }).end();
  const params = new URL(req.url ?? "/", "http://demo-idp.invalid").searchParams;
  const errorPage = (error: string, description: string) => {
    res.writeHead(400, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(renderErrorPage({ error, error_description: description }));
  };
  if (params.get("client_id") !== played.clientId) return errorPage("invalid_client", `unknown client for ${played.displayName}`);
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!redirectUris.has(redirectUri)) return errorPage("invalid_redirect_uri", "redirect_uri is not registered for this client");

  const state = params.get("state");
  const redirectWithError = (error: string, description: string) => {
    const target = new URL(redirectUri);
    target.searchParams.set("error", error);
    target.searchParams.set("error_description", description);
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(303, { location: target.href, "cache-control": "no-store" }).end();
  };
  if (params.get("response_type") !== "code") return redirectWithError("unsupported_response_type", "only response_type=code is supported");
  const scopes = (params.get("scope") ?? "").split(played.separator).map((scope) => scope.trim());
  if (!scopes.some(Boolean) || scopes.some((scope) => !played.scopes.includes(scope))) {
    return redirectWithError("invalid_scope", `scopes are ${played.scopes.join(played.separator)}, joined with "${played.separator}"`);
  }

  const auth = new URLSearchParams({ client_id: played.clientId, redirect_uri: redirectUri, response_type: "code", scope: scopes.join(" ") });
  if (state !== null) auth.set("state", state);
  for (const name of ["code_challenge", "code_challenge_method"]) {
    const value = params.get(name);
    if (value !== null) auth.set(name, value);
  }
  // oidc-provider keeps offline_access only with prompt=consent (OpenID Connect Core §11).
  if (scopes.includes("offline_access")) auth.set("prompt", "consent");
  req.url = `/auth?${auth}`;
  return continueAsAuth(req, res);
}
