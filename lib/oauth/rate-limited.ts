import type { AuthenticatedServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { consumeServiceRateLimit } from "@/lib/rate-limit/consume-client-rate-limit";
import { OAuthError } from "./oauth-error";

/** The OAuth endpoints' answer for a client over its per-minute limit: 429 with Retry-After. */
export const rateLimited = (wait: number) => new OAuthError(429, "rate_limited", "Too many requests for this client; try again later.", { "retry-after": String(wait) });

/** Per-client limit, counted in the shared database (for endpoints that did not count while authenticating). */
export async function throwIfRateLimited(client: AuthenticatedServiceClient): Promise<void> {
  const wait = await consumeServiceRateLimit(client.id, client.rateLimitPerMinute);
  if (wait) throw rateLimited(wait);
}
