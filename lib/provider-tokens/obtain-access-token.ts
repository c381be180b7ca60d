import type { PreparedAuditEvent } from "@/lib/audit/record-audit-event";
import { readExchangeState, type ExchangeState } from "./read-exchange-state";
import { accessTokenFromSnapshot, type FreshAccessToken } from "./connection-state";
import { ProviderTokenError, ReconnectRequiredError, RefreshUnavailableError } from "./errors";
import { getFreshAccessToken, type FreshAccessTokenOptions } from "./get-fresh-access-token";

/** Why no token: the three failures a caller can act on (describe-provider-token-failure.ts says them to a service). */
export type ProviderTokenFailure =
  { status: "not_connected" } | { status: "reconnect_required"; reason: string } | { status: "refresh_unavailable"; reason: string; retryAfterSeconds: number };

export type AccessTokenOutcome =
  | { status: "ok"; token: FreshAccessToken }
  /** The person blocked this service from acting for them at this provider (only with `for`). */
  | { status: "blocked" }
  | ProviderTokenFailure;

export type ObtainAccessTokenOptions = FreshAccessTokenOptions & {
  /**
   * The service that will use the token: the person's block of it is checked first. The block, the
   * connection and its stored access token are then read in one statement (read-exchange-state.ts),
   * which also records the use; no refresh due (the steady state) → no further query.
   */
  for?: { id: string };
  /**
   * With `for` (the token exchange): its success event, written by the same statement when the stored access token
   * is handed out, and then marked `written` (read-exchange-state.ts).
   */
  handoutAudit?: PreparedAuditEvent;
  /** With `for`: that state, already read by the service's own statement (the token exchange's client, the proxy's token; issue 26): no read here. */
  state?: ExchangeState;
};

/**
 * The one door to a person's access token at a provider, for the proxy, the token exchange and the
 * jobs. Refreshes through getFreshAccessToken (single flight, lease, backoff). Expected failures are
 * outcomes; anything else (the database down, a token that fails to decrypt) still throws.
 */
export async function obtainAccessToken(userId: string, provider: string, options: ObtainAccessTokenOptions = {}): Promise<AccessTokenOutcome> {
  const { for: service, handoutAudit, state: prefetched, ...freshOptions } = options;
  try {
    // A caller with no service (an MCP client's tool call) asking the default question takes the same one-statement
    // read, with no block to find: one round trip, where the row read and the use recorded took two or three.
    if (!service && !isDefault(freshOptions)) return { status: "ok", token: await getFreshAccessToken(userId, provider, freshOptions) };
    const state = prefetched ?? (await readExchangeState(userId, service?.id ?? null, provider, isDefault(freshOptions) ? handoutAudit : undefined));
    if (state.blocked) return { status: "blocked" };
    // The snapshot answers only the default question (a token valid for 60 s more).
    const stored = isDefault(freshOptions) ? accessTokenFromSnapshot(provider, state.connection) : null;
    return { status: "ok", token: stored ?? (await getFreshAccessToken(userId, provider, freshOptions)) };
  } catch (error) {
    if (error instanceof ProviderTokenError) return failureOf(error);
    throw error;
  }
}

function isDefault(options: FreshAccessTokenOptions): boolean {
  return options.rejectedAccessToken === undefined && options.refreshWithinMs === undefined && !options.background;
}

function failureOf(error: ProviderTokenError): ProviderTokenFailure {
  if (error instanceof RefreshUnavailableError) return { status: "refresh_unavailable", reason: error.reason, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof ReconnectRequiredError) return { status: "reconnect_required", reason: error.reason };
  if (error.code === "reconnect_required") return { status: "reconnect_required", reason: "the grant is no longer valid" };
  return { status: "not_connected" };
}
