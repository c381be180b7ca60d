import { ProviderTokenError } from "@/lib/provider-tokens/errors";
import { getMetrics } from "./metrics";

/**
 * Counts one provider access-token handout through the token exchange by service (the service
 * client's name: admin-created and unique, so a bounded set; never a user id, a client id or a
 * token), provider and outcome (ok, or the error's code).
 */
export async function countTokenHandout<T>(labels: { service: string; provider: string }, handout: Promise<T>): Promise<T> {
  try {
    const token = await handout;
    getMetrics().tokenHandouts.inc({ ...labels, outcome: "ok" });
    return token;
  } catch (error) {
    getMetrics().tokenHandouts.inc({ ...labels, outcome: error instanceof ProviderTokenError ? error.code : "error" });
    throw error;
  }
}
