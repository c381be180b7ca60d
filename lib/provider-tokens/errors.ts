/** Failures getFreshAccessToken's callers can act on: each has a stable `code`. */
export class ProviderTokenError extends Error {
  constructor(
    readonly code: "not_connected" | "reconnect_required" | "refresh_unavailable",
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No API access stored for this user and provider: ask the user to connect. */
export class NotConnectedError extends ProviderTokenError {
  constructor(readonly provider: string) {
    super("not_connected", `No API access is stored for ${provider}.`);
  }
}

/** The grant is dead (revoked, expired or reused refresh token): the user must reconnect. */
export class ReconnectRequiredError extends ProviderTokenError {
  constructor(
    readonly provider: string,
    readonly reason: string,
  ) {
    super("reconnect_required", `The ${provider} connection needs to be reconnected: ${reason}`);
  }
}

/**
 * The provider could not be reached, failed (network, 5xx, 429) or refused Tessera's client: tokens are
 * kept; retry after `retryAfterSeconds` (the connection's backoff, or the provider's own Retry-After).
 */
export class RefreshUnavailableError extends ProviderTokenError {
  readonly retryable = true;
  constructor(
    readonly provider: string,
    readonly reason: string,
    readonly retryAfterSeconds = 30,
  ) {
    super("refresh_unavailable", `Could not refresh the ${provider} token right now (${reason}); try again later.`);
  }
}
