import { ApiError } from "@/lib/http/api-error";
import type { ApiErrorCode } from "@/lib/http/error-codes";
import { describeProviderTokenFailure } from "@/lib/provider-tokens/describe-provider-token-failure";
import type { ProviderTokenFailure } from "@/lib/provider-tokens/obtain-access-token";
import { PROXY_ERROR_HEADER } from "./proxy-headers";

/** The metric and audit outcome of a refused call (its error code, or a coarser word). */
export type ProxyOutcome = string;

/** The proxy's own answer: an ApiError (status from lib/http/error-codes.ts) that names its code in Tessera-Proxy-Error. */
export class ProxyRefusal extends ApiError {
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly outcome: ProxyOutcome,
    headers: Record<string, string> = {},
  ) {
    super(code, message, { [PROXY_ERROR_HEADER]: code, "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers });
  }
}

/** The refusal a provider-token failure calls for (the same words as the token exchange). */
export function refusalFor(failure: ProviderTokenFailure): ProxyRefusal {
  const { code, message, retryAfterSeconds } = describeProviderTokenFailure(failure);
  return new ProxyRefusal(code, message, code, retryAfterSeconds === null ? {} : { "retry-after": String(retryAfterSeconds) });
}

/** Over the service's per-minute limit: 429 with the seconds until its window ends. */
export function rateLimited(retryAfterSeconds: number): ProxyRefusal {
  return new ProxyRefusal("rate_limited", "Too many requests for this client; try again later.", "rate_limited", { "retry-after": String(retryAfterSeconds) });
}
