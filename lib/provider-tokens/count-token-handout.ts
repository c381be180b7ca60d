import type { AccessTokenOutcome } from "@/lib/provider-tokens/obtain-access-token";
import { getMetrics } from "../metrics/metrics";

/**
 * Counts one provider access-token handout through the token exchange by service (the service
 * client's name: admin-created and unique, so a bounded set; never a user id, a client id or a
 * token), provider and outcome (ok, or the failure's name: not_connected, reconnect_required,
 * refresh_unavailable; "error" when it threw). A blocked service gets no handout and is not counted.
 */
export async function countTokenHandout(labels: { service: string; provider: string }, handout: Promise<AccessTokenOutcome>): Promise<AccessTokenOutcome> {
  try {
    const outcome = await handout;
    if (outcome.status !== "blocked") getMetrics().tokenHandouts.inc({ ...labels, outcome: outcome.status });
    return outcome;
  } catch (error) {
    getMetrics().tokenHandouts.inc({ ...labels, outcome: "error" });
    throw error;
  }
}
