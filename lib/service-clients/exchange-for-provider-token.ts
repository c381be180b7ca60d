import { prepareAuditEvent, recordAuditEvent, rewriteAuditEvent, type AuditEventInput, type PreparedAuditEvent } from "@/lib/audit/record-audit-event";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { verifyBearerToken } from "@/lib/oauth-apps/verify-bearer-token";
import { describeProviderTokenFailure } from "@/lib/provider-tokens/describe-provider-token-failure";
import { countTokenHandout } from "@/lib/provider-tokens/count-token-handout";
import { obtainAccessToken } from "@/lib/provider-tokens/obtain-access-token";
import { createConnectRequest } from "@/lib/connect/create-connect-request";
import { missingScopes } from "@/lib/connect/connect-scopes";
import { isCatalogueProvider } from "@/lib/providers/catalog";
import type { AuthenticatedServiceClient, ExchangeTarget, PrefetchedExchange } from "./authenticate-service-client";
import { allowsProvider } from "./permissions";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const USER_ID_TOKEN_TYPE = "urn:tessera:params:oauth:token-type:user-id";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
export const PROVIDER_ACCESS_TOKEN_TYPE = "urn:tessera:params:oauth:token-type:provider-access-token";

/**
 * Why a subject (the person, or their token) cannot be served: RFC 8693 §2.2.2 makes every invalid or
 * unacceptable subject_token `invalid_request`; these codes go in `error_description`, and are also
 * the audit outcome names (unchanged since they were sent as `invalid_grant`).
 */
export const SUBJECT_REFUSALS = ["not_connected", "needs_reconnect", "access_denied_by_user", "invalid_subject_token"] as const;
export type SubjectRefusal = (typeof SUBJECT_REFUSALS)[number];
type Refused = { ok: false; error: "invalid_request"; description: SubjectRefusal };
const refuseSubject = (description: SubjectRefusal): Refused => ({ ok: false, error: "invalid_request", description });
const isSubjectRefusal = (description: string): description is SubjectRefusal => (SUBJECT_REFUSALS as readonly string[]).includes(description);

export type ExchangeRequest = {
  subjectToken?: string;
  subjectTokenType?: string;
  requestedTokenType?: string;
  audience?: string;
  purpose?: string;
  /** Issue 23 §3: the provider scopes the service needs, separated by spaces. */
  scope?: string;
};

/** What the token endpoint answers; only `ok` carries a token, and never a refresh token. */
export type ExchangeResult =
  | { ok: true; accessToken: string; expiresIn: number | null; scope: string; refreshed: boolean }
  | { ok: false; error: "invalid_request" | "invalid_target" | "unauthorized_client"; description: string }
  | Refused
  | { ok: false; error: "temporarily_unavailable"; description: string; retryAfterSeconds: number }
  | { ok: false; error: "insufficient_scope"; description: string; missingScopes: string[]; connectUri: string };

type Outcome = Exclude<ExchangeResult, { ok: true }> | { ok: true; refreshed: boolean } | { ok: false; error: "server_error"; description: string };

/**
 * RFC 8693 token exchange: a user (by id, or by one of their Tessera access tokens) → that user's
 * access token at the provider named by `audience`, refreshed if it expires within 60 s. Checks, in
 * order: request shape → provider known → the client's permission → subject → the person's block →
 * obtainAccessToken. Every exchange past client authentication is one audit event with its outcome.
 */
export async function exchangeForProviderToken(
  client: AuthenticatedServiceClient,
  request: ExchangeRequest,
  ip: string | null,
  /** The origin a `connect_uri` is on (the issuer). */
  issuer: string,
  /** What the client's own statement read for this exchange (exchangeTarget): then no read of its own. */
  prefetched?: PrefetchedExchange,
): Promise<ExchangeResult> {
  let userId: string | null = null;
  // The success event as the state read writes it when it hands out the stored token (the steady state: no audit
  // round trip of its own); any other outcome is recorded below, rewriting that row if it was written.
  let handout: PreparedAuditEvent | null = prefetched?.target.handout ?? null;
  const provider = request.audience && isCatalogueProvider(request.audience) ? request.audience : null;
  let result: ExchangeResult;
  try {
    result = await decide();
  } catch (error) {
    await audit({ ok: false, error: "server_error", description: "unexpected error" });
    throw error;
  }
  await audit(result.ok ? { ok: true, refreshed: result.refreshed } : result);
  return result;

  async function decide(): Promise<ExchangeResult> {
    const checked = checkRequest(request);
    if (!checked.ok) return checked;
    const { needed, subjectToken, subjectTokenType } = checked;
    if (!provider) return { ok: false, error: "invalid_target", description: "Unknown provider." };
    if (!allowsProvider(client.permissions, provider))
      return { ok: false, error: "unauthorized_client", description: `This client lacks credentials:${provider}:read.` };

    if (subjectTokenType === USER_ID_TOKEN_TYPE) {
      // Not an id shape (a NUL, say, which PostgreSQL refuses with an error): names no user, never reaches a query.
      if (!userIdSchema.safeParse(subjectToken).success) return refuseSubject("not_connected");
      userId = subjectToken;
    } else if (subjectTokenType === ACCESS_TOKEN_TYPE) {
      const verified = await verifyBearerToken(subjectToken, { ip });
      if (!verified.ok) return refuseSubject("invalid_subject_token");
      userId = verified.user.id;
    } else {
      return { ok: false, error: "invalid_request", description: "Unsupported subject_token_type." };
    }

    // The one door: the block, the connection and its stored access token in one read; no refresh
    // due (the steady state) → no further query; otherwise one refresh, under the lease.
    // Asked-for scopes are checked after the read: only a call that asks for none can be audited by it.
    // The steady state was read, and its success event written, by the client's own statement (exchangeTarget).
    const read = prefetched?.state && prefetched.target.userId === userId && prefetched.target.provider === provider ? prefetched.state : null;
    if (!read && !handout?.written) handout = needed.length === 0 ? prepareAuditEvent(auditEvent({ ok: true, refreshed: false })) : null;
    const obtained = await countTokenHandout(
      { service: client.name, provider },
      obtainAccessToken(userId, provider, {
        for: client,
        ...(read ? { state: read } : handout && !handout.written ? { handoutAudit: handout } : {}),
      }),
    );
    if (obtained.status === "blocked") return refuseSubject("access_denied_by_user");
    // Issue 23 §3: asked-for scopes the grant lacks (or no grant at all) → a link the person can open to grant them.
    const missing = needed.length === 0 ? [] : obtained.status === "ok" ? missingScopes(obtained.token.scopes, needed) : isConnectable(obtained) ? needed : [];
    if (missing.length) {
      const link = await createConnectRequest({ userId, provider, scopes: missing, requestedBy: { kind: "service", id: client.id, name: client.name } });
      return {
        ok: false,
        error: "insufficient_scope",
        description: `The person has not granted ${missing.join(" ")} at ${provider}; send them to connect_uri.`,
        missingScopes: missing,
        connectUri: `${issuer}${link.path}`,
      };
    }
    if (obtained.status !== "ok") {
      const failure = describeProviderTokenFailure(obtained);
      if (failure.code === "refresh_unavailable")
        return { ok: false, error: "temporarily_unavailable", description: failure.code, retryAfterSeconds: failure.retryAfterSeconds };
      return refuseSubject(failure.code);
    }
    const { token } = obtained;
    const expiresIn = token.expiresAt ? Math.max(0, Math.floor((token.expiresAt.getTime() - Date.now()) / 1000)) : null;
    return { ok: true, accessToken: token.accessToken, expiresIn, scope: token.scopes.join(" "), refreshed: token.refreshed };
  }

  async function audit(outcome: Outcome): Promise<void> {
    const event = auditEvent(outcome);
    if (!handout?.written) await recordAuditEvent(event);
    else if (!(outcome.ok && !outcome.refreshed)) await rewriteAuditEvent(handout, event);
  }

  function auditEvent(outcome: Outcome): AuditEventInput {
    return exchangeAuditEvent(request, ip, client, userId, provider ?? storable(request.audience?.slice(0, 100)), outcome);
  }
}

/**
 * The one event an exchange leaves. Token values never reach the audit trail: only names, ids and outcomes. Without
 * the client's id and name (exchangeTarget, before the client is looked up) its statement adds them from the row.
 */
function exchangeAuditEvent(
  request: ExchangeRequest,
  ip: string | null,
  client: { id: string | null; clientId: string; name?: string },
  userId: string | null,
  provider: string | null,
  outcome: Outcome,
): AuditEventInput {
  return {
    action: "service.token_exchanged",
    actor: { type: "service", id: client.id },
    subjectUserId: userId,
    provider,
    tokenNames: outcome.ok ? ["access_token"] : [],
    ip,
    detail: {
      clientId: client.clientId,
      ...(client.name === undefined ? {} : { serviceName: client.name }),
      purpose: storable(request.purpose?.slice(0, 200)),
      outcome: outcome.ok ? "success" : isSubjectRefusal(outcome.description) ? outcome.description : outcome.error,
      refreshed: outcome.ok ? outcome.refreshed : false,
    },
  };
}

/** The request's shape, before anything about the client or the person: its asked-for scopes, or why it is refused. */
function checkRequest(
  request: ExchangeRequest,
): { ok: true; needed: string[]; subjectToken: string; subjectTokenType: string } | { ok: false; error: "invalid_request"; description: string } {
  if (request.purpose !== undefined && request.purpose.length > 200)
    return { ok: false, error: "invalid_request", description: "purpose is at most 200 characters." };
  if (request.requestedTokenType !== undefined && request.requestedTokenType !== PROVIDER_ACCESS_TOKEN_TYPE) {
    return { ok: false, error: "invalid_request", description: `requested_token_type must be ${PROVIDER_ACCESS_TOKEN_TYPE}.` };
  }
  if (!request.subjectToken || !request.subjectTokenType)
    return { ok: false, error: "invalid_request", description: "subject_token and subject_token_type are required." };
  if (!request.audience) return { ok: false, error: "invalid_request", description: "audience (the provider id) is required." };
  const needed = parseNeededScopes(request.scope);
  if (!needed) return { ok: false, error: "invalid_request", description: "scope is at most 30 provider scopes of printable characters, separated by spaces." };
  return { ok: true, needed, subjectToken: request.subjectToken, subjectTokenType: request.subjectTokenType };
}

/**
 * The steady-state exchange the token endpoint reads in its client's own statement (issue 26): a well-formed request
 * for a catalogue provider's token of a person named by id, asking no scopes; null for anything else (the exchange
 * then reads on its own, as it always did). Its success event is prepared here, as exchangeForProviderToken's
 * audit would write it, less the service's name (the statement adds it from the client's row).
 */
export function exchangeTarget(request: ExchangeRequest, clientId: string, ip: string | null): ExchangeTarget | null {
  const checked = checkRequest(request);
  if (!checked.ok || checked.needed.length > 0 || checked.subjectTokenType !== USER_ID_TOKEN_TYPE) return null;
  if (!request.audience || !isCatalogueProvider(request.audience) || !userIdSchema.safeParse(checked.subjectToken).success) return null;
  const [userId, provider] = [checked.subjectToken, request.audience];
  const handout = prepareAuditEvent(exchangeAuditEvent(request, ip, { id: null, clientId }, userId, provider, { ok: true, refreshed: false }));
  return { userId, provider, handout };
}

/** `scope` as a list (empty when absent), or null when it is not a list of plain scopes. */
function parseNeededScopes(scope: string | undefined): string[] | null {
  const scopes = (scope ?? "").split(" ").filter(Boolean);
  return scopes.length <= 30 && scopes.every((item) => /^[\x21-\x7e]{1,200}$/.test(item)) ? [...new Set(scopes)] : null;
}

/** Failures a fresh grant cures: nothing connected, or a grant the provider no longer honours. */
function isConnectable(obtained: { status: string }): boolean {
  return obtained.status === "not_connected" || obtained.status === "needs_reconnect";
}

/** Free text as PostgreSQL can store it: text and jsonb refuse NUL with an error (a 500). */
function storable(text: string | undefined): string | null {
  return text === undefined ? null : text.replaceAll("\u0000", "");
}
