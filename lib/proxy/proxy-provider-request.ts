import { randomUUID } from "node:crypto";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { getMetrics } from "@/lib/metrics/metrics";
import { getProviderApiBase, isCatalogueProvider } from "@/lib/providers/catalog";
import { createConnectRequest } from "@/lib/connect/create-connect-request";
import { allowsProxy } from "@/lib/service-clients/permissions";
import type { VerifiedServiceToken } from "@/lib/service-clients/verify-service-token";
import type { ServiceCallRead } from "@/lib/service-clients/verify-service-call";
import { checkProxyPath, isProxyPathAllowed, proxyScopesNeeded } from "../service-clients/proxy-allow-list";
import { forwardProviderCall } from "./forward-provider-call";
import { readProxyLimits } from "./proxy-limits";
import { ProxyRefusal, rateLimited, refusalFor, type ProxyOutcome } from "./proxy-refusal";
import { recordProxyUsage } from "./record-proxy-usage";

export { PROXY_ERROR_HEADER } from "./proxy-headers";
export { REPLAYABLE_BODY_BYTES } from "./forward-provider-call";

export const ON_BEHALF_OF_HEADER = "tessera-on-behalf-of";
export const PURPOSE_HEADER = "tessera-purpose";

export type ProxyRequest = {
  provider: string;
  /** The raw path after `/api/proxy/{provider}`, e.g. `/me` (percent-escapes as sent). */
  path: string;
  /** The raw query string with its `?`, or "". */
  search: string;
  method: string;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** Where the person opens a connect link (the request's origin). */
  origin: string;
};

/**
 * `ANY /api/proxy/{provider}/{path…}` for an authenticated service: checks (provider → permission → path →
 * allow-list → person; over the rate limit, a refused call answers 429), then over the limit 429 → forwardProviderCall
 * (the person's block → a fresh token → the provider, streaming both bodies; a 401 refreshes once and retries once),
 * the core /mcp shares. Every refusal happens before any provider call. The token never leaves forwardProviderCall.
 *
 * `call`: what the service door's statement did for this call (lib/service-clients/verify-service-call.ts): counted it
 * against the client's limit — every call, refused or not, spends the budget — and, when it admitted the token,
 * read the person's block, connection and token at the provider the call names: used only when that is the provider
 * and person the checks below accept.
 */
export async function proxyProviderRequest(service: VerifiedServiceToken, input: ProxyRequest, ip: string | null, call: ServiceCallRead): Promise<Response> {
  const client = service.client;
  const providerLabel = isCatalogueProvider(input.provider) ? input.provider : "unknown";
  const count = (outcome: ProxyOutcome) => getMetrics().proxiedCalls.inc({ service: client.name, provider: providerLabel, outcome });
  // Names this call in every log line about it (a stream that breaks after the status line has no other trace).
  const requestId = randomUUID();
  try {
    return await forward();
  } catch (error) {
    if (error instanceof ProxyRefusal) count(error.outcome);
    else count("error");
    throw error;
  }

  async function forward(): Promise<Response> {
    let checked: ReturnType<typeof check>;
    try {
      checked = check();
    } catch (error) {
      // Over the limit the answer is 429 whatever else was wrong (as the token exchange answers).
      if (error instanceof ProxyRefusal && call.retryAfterSeconds) throw rateLimited(call.retryAfterSeconds);
      throw error;
    }
    if (call.retryAfterSeconds) throw rateLimited(call.retryAfterSeconds);
    const { provider, userId, purpose, limits, base } = checked;
    const account = (status: number | null) =>
      recordProxyUsage({ service: client, userId, provider, purpose, method: input.method, path: input.path, status, ip });
    const needs = {
      scopes: proxyScopesNeeded(client.proxyAllow, provider, input.path, input.method),
      connectLink: async (missing: string[]) => {
        const link = await createConnectRequest({ userId, provider, scopes: missing, requestedBy: { kind: "service", id: client.id, name: client.name } });
        return `${input.origin}${link.path}`;
      },
    };
    // The state the door's statement read, if it read this person's at this provider; else forwardProviderCall reads it.
    const state = call.state && call.target?.userId === userId && call.target.provider === provider ? call.state : undefined;
    const response = await forwardProviderCall({ ...input, userId, provider, base, service: client, state, limits, account, requestId, needs });
    const status = response.status;
    count(status < 400 ? "ok" : status === 429 ? "provider_429" : status >= 500 ? "provider_5xx" : "provider_4xx");
    return response;
  }

  /** The checks that need no database: provider → permission → path → allow-list → person → headers and size. */
  function check() {
    const { provider } = input;
    if (!isCatalogueProvider(provider)) throw new ProxyRefusal("unknown_provider", "Unknown provider.", "unknown_provider");
    // The client's permission now, and the token's scope when it was issued: both must allow this provider.
    if (!allowsProxy(client.permissions, provider) || !allowsProxy(service.scopes, provider)) {
      throw new ProxyRefusal("insufficient_permission", `This client lacks proxy:${provider}.`, "forbidden");
    }
    if (checkProxyPath(input.path))
      throw new ProxyRefusal("invalid_path", "The path has dot segments, empty segments or encoded separators.", "invalid_request");
    if (!isProxyPathAllowed(client.proxyAllow, provider, input.path, input.method)) {
      throw new ProxyRefusal(
        "path_not_allowed",
        `This client's allow-list does not include ${input.method.toUpperCase().slice(0, 10)} ${provider}:${input.path.slice(0, 100)}.`,
        "path_not_allowed",
      );
    }
    const onBehalfOf = input.headers.get(ON_BEHALF_OF_HEADER);
    if (!onBehalfOf) throw new ProxyRefusal("invalid_request", `The ${ON_BEHALF_OF_HEADER} header (a Tessera user id) is required.`, "invalid_request");
    const purpose = input.headers.get(PURPOSE_HEADER)?.replaceAll("\u0000", "") ?? null;
    if (purpose !== null && purpose.length > 200) throw new ProxyRefusal("invalid_request", `${PURPOSE_HEADER} is at most 200 characters.`, "invalid_request");
    const limits = readProxyLimits();
    const declared = Number(input.headers.get("content-length") ?? "0");
    if (declared > limits.maxBodyBytes) throw new ProxyRefusal("payload_too_large", `Request bodies are at most ${limits.maxBodyBytes} bytes.`, "too_large");
    const base = getProviderApiBase(provider);
    if (!base) throw new ProxyRefusal("provider_not_enabled", `${provider} is not enabled on this server.`, "unknown_provider");
    // Unknown user and not connected answer the same, as in the token exchange.
    if (!userIdSchema.safeParse(onBehalfOf).success) throw notConnected();
    return { provider, userId: onBehalfOf, purpose, limits, base };
  }
}

function notConnected(): ProxyRefusal {
  return refusalFor({ status: "not_connected" });
}
