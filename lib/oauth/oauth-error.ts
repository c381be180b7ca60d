import { z } from "zod";
import { ApiError } from "@/lib/http/api-error";
import { logger } from "@/lib/log/logger";

/**
 * An RFC 6749 §5.2 error: `{"error", "error_description"?}` with its status (and headers such as WWW-Authenticate).
 * Throw one of the classes below, never this with a status: as in node-oidc-provider's lib/helpers/errors.js,
 * each error code has one class and the class fixes the status, so no throw site chooses one.
 */
export class OAuthError extends Error {
  /** Members the error body carries besides error and error_description (a subclass that needs them sets them). */
  readonly extra: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? error);
    this.name = new.target.name;
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_request", description);
  }
}

/** invalid_request, but 413: Tessera has always answered an oversized form with 413, which says why better than 400. */
export class RequestTooLarge extends OAuthError {
  constructor() {
    super(413, "invalid_request", "The request body is too large.");
  }
}

/** RFC 6749 §5.2: a failed client authentication through the Authorization header is 401 with WWW-Authenticate. */
export class InvalidClient extends OAuthError {
  constructor() {
    super(401, "invalid_client", "Client authentication failed.", { "www-authenticate": 'Basic realm="tessera"' });
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_grant", description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_scope", description);
  }
}

/** RFC 8707 §2 (and RFC 8693 §2.2.2): an audience or resource this server cannot issue a token for. */
export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_target", description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super(400, "unauthorized_client", description);
  }
}

/**
 * unauthorized_client, but 403: RFC 7662 names no error for a client that may not introspect, and Tessera has
 * always answered it 403 (the client authenticated; it lacks tokens:introspect).
 */
export class IntrospectionNotAllowed extends OAuthError {
  constructor() {
    super(403, "unauthorized_client", "This client lacks tokens:introspect.");
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super(400, "unsupported_grant_type", description);
  }
}

/** RFC 8628 §3.5: the person has not yet approved or denied the device's request; poll again after the interval. */
export class AuthorizationPending extends OAuthError {
  constructor() {
    super(400, "authorization_pending", "The person has not approved or denied the request yet.");
  }
}

/** RFC 8628 §3.5: polled faster than the interval; the interval is now `interval` seconds (5 more than before). */
export class SlowDown extends OAuthError {
  constructor(interval: number) {
    super(400, "slow_down", `Polling too fast: wait ${interval} seconds between requests.`);
  }
}

/** RFC 8628 §3.5: the device code expired before the person approved; start again. */
export class ExpiredToken extends OAuthError {
  constructor() {
    super(400, "expired_token", "The device code has expired; start the sign-in again.");
  }
}

/** RFC 8628 §3.5: the person denied the device's request. */
export class AccessDenied extends OAuthError {
  constructor() {
    super(400, "access_denied", "The person denied the request.");
  }
}

/**
 * RFC 6749 defines temporarily_unavailable for the authorization endpoint's redirect only; the token endpoint
 * has always answered it 503 with Retry-After (the provider token could not be refreshed just now).
 */
export class TemporarilyUnavailable extends OAuthError {
  constructor(description: string, retryAfterSeconds: number) {
    super(503, "temporarily_unavailable", description, { "retry-after": String(retryAfterSeconds) });
  }
}

/** Not an RFC code: a client over its limit has always been answered 429 rate_limited with Retry-After. */
export class RateLimited extends OAuthError {
  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many requests for this client; try again later.", { "retry-after": String(retryAfterSeconds) });
  }
}

/** RFC 7591 §3.2.2: a redirect URI of a registration request that cannot be registered. */
export class InvalidRedirectUri extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_redirect_uri", description);
  }
}

/** RFC 7591 §3.2.2: any other client metadata of a registration request that cannot be accepted. */
export class InvalidClientMetadata extends OAuthError {
  constructor(description: string) {
    super(400, "invalid_client_metadata", description);
  }
}

/** RFC 7591 names no error for "registration is closed here"; 403 access_denied says it (the admin's policy). */
export class RegistrationNotAllowed extends OAuthError {
  constructor(description: string) {
    super(403, "access_denied", description);
  }
}

/** 429 rate_limited with Retry-After, as for clients, but counted per address (dynamic registration). */
export class RegistrationRateLimited extends OAuthError {
  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", "Too many client registrations from this address; try again later.", { "retry-after": String(retryAfterSeconds) });
  }
}

/**
 * Issue 23 §3: the token exchange asked for provider scopes the person has not granted. RFC 6750 §3.1's error and
 * status (403: the client is fine, the grant is too narrow), with the missing scopes and the link to send the person to.
 */
export class InsufficientScope extends OAuthError {
  constructor(description: string, missingScopes: string[], connectUri: string) {
    super(403, "insufficient_scope", description);
    Object.assign(this.extra, { scope: missingScopes.join(" "), connect_uri: connectUri });
  }
}

export class ServerError extends OAuthError {
  constructor() {
    super(500, "server_error", "Something went wrong on our side.");
  }
}

/** A shared helper's ApiError below 500 (a 4xx from its table, with its headers), told to an OAuth client as invalid_request. */
class InvalidRequestFromApi extends OAuthError {
  constructor(error: ApiError) {
    super(error.status, "invalid_request", error.message, error.headers);
  }
}

/** A refusal returned as data (exchangeForProviderToken, the application grants): its error code names its class. */
export type OAuthRefusal =
  | { error: "invalid_request" | "invalid_grant" | "invalid_scope" | "invalid_target" | "unauthorized_client"; description: string }
  | { error: "temporarily_unavailable"; description: string; retryAfterSeconds: number }
  | { error: "insufficient_scope"; description: string; missingScopes: string[]; connectUri: string };

export function oauthErrorFor(refusal: OAuthRefusal): OAuthError {
  switch (refusal.error) {
    case "invalid_request":
      return new InvalidRequest(refusal.description);
    case "invalid_grant":
      return new InvalidGrant(refusal.description);
    case "invalid_scope":
      return new InvalidScope(refusal.description);
    case "invalid_target":
      return new InvalidTarget(refusal.description);
    case "unauthorized_client":
      return new UnauthorizedClient(refusal.description);
    case "temporarily_unavailable":
      return new TemporarilyUnavailable(refusal.description, refusal.retryAfterSeconds);
    case "insufficient_scope":
      return new InsufficientScope(refusal.description, refusal.missingScopes, refusal.connectUri);
    default:
      return unreachable(refusal);
  }
}

function unreachable(refusal: never): never {
  throw new Error(`No OAuth error class for ${(refusal as { error: string }).error}`);
}

/** Every failure of an OAuth endpoint becomes OAuth error JSON here; only unexpected ones are logged. */
export function toOAuthErrorResponse(error: unknown, path: string): Response {
  let failure: OAuthError;
  if (error instanceof OAuthError) failure = error;
  else if (error instanceof z.ZodError) failure = new InvalidRequest(error.issues[0]?.message ?? "Invalid request.");
  else if (error instanceof ApiError && error.status < 500) failure = new InvalidRequestFromApi(error);
  else {
    logger.error({ err: error, path }, "unhandled OAuth endpoint error");
    failure = new ServerError();
  }
  const body = { error: failure.error, ...(failure.description ? { error_description: failure.description } : {}), ...failure.extra };
  return Response.json(body, { status: failure.status, headers: { "cache-control": "no-store", pragma: "no-cache", ...failure.headers } });
}

/** A successful OAuth JSON response: never cached (RFC 6749 §5.1). */
export function oauthJson(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store", pragma: "no-cache" } });
}
