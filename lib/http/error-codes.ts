/**
 * Every code a JSON API answer can carry (`{"error": {"code", "message"}}`) and its one HTTP status.
 * A throw site names the code; the status comes from here, so two doors never answer the same code
 * differently. A code missing from this table fails tsc at the throw site (ApiErrorCode below).
 */
export const API_ERROR_STATUS = {
  // The wrapper's doors (lib/api/with-api.ts) and request parsing (lib/api/read-json-body.ts).
  unauthorized: 401,
  cross_origin: 403,
  insufficient_scope: 403,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  invalid_request: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  // createToken (lib/pat/create-token.ts) and rotateToken (lib/pat/rotate-token.ts).
  name_taken: 409,
  invalid_expiry: 400,
  scope_not_allowed: 403,
  credential_revoked: 401,
  // Sudo mode (lib/auth/require-recent-sign-in.ts): a session whose sign-in is too old to create a credential.
  recent_sign_in_required: 403,
  token_inactive: 409,
  already_rotated: 409,
  // Applications (lib/oauth-apps).
  too_many_applications: 409,
  public_client: 400,
  // createWebhookEndpoint (lib/webhooks/manage-webhook-endpoints.ts): the URL fails the SSRF check.
  invalid_url: 400,
  // GitHub secret scanning reports (lib/credentials).
  invalid_signature: 401,
  // The provider API proxy (lib/proxy/proxy-provider-request.ts).
  unknown_provider: 404,
  provider_not_enabled: 404,
  insufficient_permission: 403,
  invalid_path: 400,
  path_not_allowed: 403,
  access_denied_by_user: 403,
  upstream_timeout: 504,
  upstream_unreachable: 502,
  upstream_response_too_large: 502,
  // A person's provider token as the proxy reports it (lib/provider-tokens/describe-provider-token-failure.ts).
  not_connected: 404,
  needs_reconnect: 409,
  refresh_unavailable: 503,
} as const satisfies Record<string, number>;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
