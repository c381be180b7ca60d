import type { AuthenticatedServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { consumeServiceRateLimit } from "@/lib/rate-limit/consume-client-rate-limit";
import { RateLimited } from "./oauth-error";

/** Per-client limit, counted in the shared database (for endpoints that did not count while authenticating). */
export async function throwIfRateLimited(client: AuthenticatedServiceClient): Promise<void> {
  const wait = await consumeServiceRateLimit(client.id, client.rateLimitPerMinute);
  if (wait) throw new RateLimited(wait);
}
