import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

export const CLIENT_ERROR_STATE = "refresh unavailable: provider rejected Tessera's client";
const LOG_EVERY_MS = 60_000;

/**
 * The provider refused Tessera's own client (wrong secret, disabled app): a state of the PROVIDER,
 * shown on the admin overview. Logged at most once per provider per minute across all processes
 * (the conditional UPDATE decides who logs), however many users' refreshes hit it.
 */
export async function recordProviderClientError(provider: string, reason: string, now = new Date()): Promise<void> {
  const db = getDb();
  await db.providerHealth.upsert({
    where: { provider },
    create: { provider, lastClientErrorAt: now, lastClientError: reason },
    update: { lastClientErrorAt: now, lastClientError: reason },
  });
  const claimed = await db.providerHealth.updateMany({
    where: { provider, OR: [{ lastClientErrorLoggedAt: null }, { lastClientErrorLoggedAt: { lte: new Date(now.getTime() - LOG_EVERY_MS) } }] },
    data: { lastClientErrorLoggedAt: now },
  });
  if (claimed.count) logger.error({ provider, reason }, CLIENT_ERROR_STATE);
}

/** A refresh worked again: the provider accepts Tessera's client. Cheap when there is nothing to clear. */
export async function clearProviderClientError(provider: string): Promise<void> {
  await getDb().providerHealth.updateMany({ where: { provider, lastClientErrorAt: { not: null } }, data: { lastClientErrorAt: null, lastClientError: null } });
}
