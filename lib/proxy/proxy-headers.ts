/*
 * Which headers cross the proxy. Both directions are ALLOW-lists: a header nobody thought about stays
 * behind. Requests: what a REST call needs to be understood (content negotiation, conditional requests,
 * API versions); never the caller's Authorization, cookies, forwarding or hop-by-hop headers (Tessera
 * sets Authorization itself). Responses: content and caching metadata, pagination, rate-limit and
 * request-id headers; never Set-Cookie, WWW-/Proxy-Authenticate, Clear-Site-Data, HSTS, Alt-Svc or
 * anything else that would speak for Tessera's origin or carry a credential.
 */

const REQUEST_HEADERS = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "content-encoding",
  "content-language",
  "content-type",
  "if-match",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "if-unmodified-since",
  "prefer",
  "range",
  "user-agent",
  // Provider API versions and options.
  "x-github-api-version",
  "consistencylevel",
  "odata-maxversion",
  "odata-version",
  "x-goog-user-project",
  "x-goog-api-client",
]);

const RESPONSE_HEADERS = new Set([
  "accept-ranges",
  "age",
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "content-length",
  "content-range",
  "content-type",
  "deprecation",
  "etag",
  "expires",
  "last-modified",
  "link",
  "location",
  "odata-version",
  "preference-applied",
  "request-id",
  "client-request-id",
  "retry-after",
  "sunset",
  "vary",
  "x-accepted-oauth-scopes",
  "x-github-api-version-selected",
  "x-github-media-type",
  "x-github-request-id",
  "x-oauth-scopes",
  "x-poll-interval",
  "x-request-id",
]);
const RESPONSE_HEADER_PREFIXES = ["x-ratelimit-", "ratelimit"];

export const DEFAULT_USER_AGENT = "Tessera-Proxy";
/** Set on every answer Tessera itself gives a service (not the provider's), with the error code: a service tells them apart. */
export const PROXY_ERROR_HEADER = "tessera-proxy-error";

/** The headers sent upstream: the allowed ones from the caller, then Tessera's Authorization. */
export function upstreamRequestHeaders(incoming: Headers, accessToken: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of incoming) if (REQUEST_HEADERS.has(name)) out[name] = value;
  // GitHub refuses requests without a User-Agent.
  out["user-agent"] ??= DEFAULT_USER_AGENT;
  out.authorization = `Bearer ${accessToken}`;
  return out;
}

/** The provider's response headers a service may see. */
export function downstreamResponseHeaders(upstream: Record<string, string | string[] | undefined>): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(upstream)) {
    const lower = name.toLowerCase();
    if (value === undefined || !(RESPONSE_HEADERS.has(lower) || RESPONSE_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix)))) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.append(lower, item);
  }
  // The answer is one person's data: a shared cache in front of Tessera must key it by who asked for whom.
  out.append("vary", "Authorization, Tessera-On-Behalf-Of");
  return out;
}
