import type { ProviderTokenFailure } from "./obtain-access-token";

/**
 * `code`: what a service sees (the proxy's `error.code` and Tessera-Proxy-Error, the exchange's
 * `error_description`), also the audit/metric outcome; the proxy's HTTP status is the code's row in
 * lib/http/error-codes.ts (the exchange answers in OAuth's terms). `retryAfterSeconds`: whole seconds, at least 1.
 */
export type ProviderTokenFailureDescription =
  | { code: "refresh_unavailable"; message: string; retryAfterSeconds: number }
  | { code: "needs_reconnect"; message: string; retryAfterSeconds: null }
  | { code: "not_connected"; message: string; retryAfterSeconds: null };

/**
 * How a provider-token failure is said to a service: one table for the provider API proxy and the
 * token exchange, so both say the same thing for the same state. Never names a reason or a token.
 */
export function describeProviderTokenFailure(failure: ProviderTokenFailure): ProviderTokenFailureDescription {
  switch (failure.status) {
    case "refresh_unavailable":
      return {
        code: "refresh_unavailable",
        message: "The provider token cannot be refreshed right now; try again later.",
        retryAfterSeconds: Math.max(1, Math.ceil(failure.retryAfterSeconds)),
      };
    case "reconnect_required":
      return { code: "needs_reconnect", message: "This person must reconnect this provider.", retryAfterSeconds: null };
    case "not_connected":
      // Also the answer for an unknown person: the two are never told apart.
      return { code: "not_connected", message: "This person has no API access stored for this provider.", retryAfterSeconds: null };
  }
}
