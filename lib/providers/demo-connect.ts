/*
 * The connect-only catalogue entries the demo identity provider plays, and where it plays them. Both sides
 * read this file: Tessera (in demo mode it points these entries at the demo IdP instead of the real provider)
 * and the demo IdP (lib/idp), so the layout is written once.
 */

/** Shipped entries the demo IdP plays: a plain OAuth 2.0 provider with comma-separated scopes (Slack) and one
 * whose refresh tokens expire when unused (Atlassian). Their answers follow each entry's catalogue shapes. */
export const DEMO_CONNECT_PROVIDER_IDS = ["slack", "atlassian"] as const;

/** Every connect flow returns here: one exact redirect URI for all providers (the request's state says which). */
export const CONNECT_CALLBACK_PATH = "/connect/callback";

/** The demo IdP's client id for a played entry (the secret is the demo IdP's shared DEMO_IDP_CLIENT_SECRET). */
export function demoConnectClientId(providerId: string): string {
  return `tessera-demo-${providerId}`;
}

/** The demo IdP's endpoints for a connect-only provider it plays (issuer without a trailing slash). */
export function getDemoConnectEndpoints(issuer: string, providerId: string) {
  const base = `${issuer.replace(/\/+$/, "")}/connect/${encodeURIComponent(providerId)}`;
  return {
    authorization: `${base}/authorize`,
    token: `${base}/token`,
    revocation: `${base}/revoke`,
    userinfo: `${base}/userinfo`,
    apiBase: `${issuer.replace(/\/+$/, "")}/demo-api/${encodeURIComponent(providerId)}`,
  };
}
