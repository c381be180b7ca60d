import type { ProviderClient } from "@/lib/providers/catalog";
import { parseRetryAfter } from "./parse-retry-after";
import { clientAuth, postForm, readJson } from "./provider-http";

export type RefreshedTokens = {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[] | null;
  tokenType: string | null;
  idToken: string | null;
};

export type RefreshResult =
  | { ok: true; tokens: RefreshedTokens }
  /** The user's grant is dead (revoked, expired, reused): only a new sign-in helps. */
  | { ok: false; kind: "invalid_grant"; reason: string }
  /** The provider refused Tessera's own client (secret, registration): every user's grant is still fine. */
  | { ok: false; kind: "client_error"; reason: string }
  /** Network, timeout, 5xx, 429 or an unexpected answer: try again later (after retryAfterMs if the provider said). */
  | { ok: false; kind: "unavailable"; reason: string; retryAfterMs: number | null };

// These codes mean the user's grant itself is dead. GitHub answers 200 with an error body.
const DEAD_GRANT_ERRORS = new Set(["invalid_grant", "bad_refresh_token"]);
// These describe Tessera's client registration, not the user (RFC 6749 §5.2; GitHub's own name too).
const CLIENT_ERRORS = new Set(["invalid_client", "unauthorized_client", "incorrect_client_credentials"]);

/** One refresh_token grant at the provider's token endpoint. Never throws; never logs token values. */
export async function refreshAtProvider(client: ProviderClient, refreshToken: string, now = new Date()): Promise<RefreshResult> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  let response: Response;
  try {
    response = await postForm(client.tokenUrl, body, clientAuth(client, body));
  } catch (error) {
    return {
      ok: false,
      kind: "unavailable",
      reason: error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network error",
      retryAfterMs: null,
    };
  }
  const json = await readJson(response);
  const error = typeof json.error === "string" ? json.error : null;
  const description = typeof json.error_description === "string" ? json.error_description.slice(0, 200) : "";
  const reason = error && description ? `${error}: ${description}` : error;
  if (error && DEAD_GRANT_ERRORS.has(error)) return { ok: false, kind: "invalid_grant", reason: reason! };
  // A 401 from the token endpoint is always about client authentication (RFC 6749 §5.2).
  if ((error && CLIENT_ERRORS.has(error)) || response.status === 401)
    return { ok: false, kind: "client_error", reason: reason ?? `provider answered ${response.status}` };
  if (response.status >= 500 || response.status === 429) {
    return {
      ok: false,
      kind: "unavailable",
      reason: `provider answered ${response.status}`,
      retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), now.getTime()),
    };
  }
  if (!response.ok || error || typeof json.access_token !== "string") {
    return { ok: false, kind: "unavailable", reason: error ? `provider error ${error}` : `provider answered ${response.status}`, retryAfterMs: null };
  }
  const expiresIn = Number(json.expires_in);
  return {
    ok: true,
    tokens: {
      accessToken: json.access_token,
      refreshToken: typeof json.refresh_token === "string" && json.refresh_token ? json.refresh_token : null,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
      scopes: typeof json.scope === "string" ? parseScopes(json.scope) : null,
      tokenType: typeof json.token_type === "string" ? json.token_type : null,
      idToken: typeof json.id_token === "string" ? json.id_token : null,
    },
  };
}

/** Providers separate scopes with spaces (RFC 6749) or commas (GitHub). */
export function parseScopes(scope: string | null | undefined): string[] {
  return (scope ?? "").split(/[\s,]+/).filter(Boolean);
}
