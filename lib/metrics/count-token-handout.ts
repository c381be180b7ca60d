import { ProviderTokenError } from "@/lib/provider-tokens/errors";
import { getMetrics } from "./metrics";

/** Counts one provider access-token handout through the token exchange by provider and outcome (ok, or the error's code). */
export async function countTokenHandout<T>(provider: string, handout: Promise<T>): Promise<T> {
  try {
    const token = await handout;
    getMetrics().tokenHandouts.inc({ provider, outcome: "ok" });
    return token;
  } catch (error) {
    getMetrics().tokenHandouts.inc({ provider, outcome: error instanceof ProviderTokenError ? error.code : "error" });
    throw error;
  }
}
