import { StartupConfigError } from "./startup-config-error";

type Env = Readonly<Record<string, string | undefined>>;

export const MAX_DYNAMIC_CLIENTS_VARIABLE = "TESSERA_MAX_DYNAMIC_CLIENTS";
const DEFAULT_MAX = 1000;
// Beyond this a number is more likely a typo than a plan. No 0: turning registration off is the admin's policy
// (/admin/applications), which also stops advertising the endpoint.
const UPPER_BOUND = 1_000_000;

export class MaxDynamicClientsError extends StartupConfigError {
  readonly code = "invalid_max_dynamic_clients";
  constructor(value: string) {
    super(`${MAX_DYNAMIC_CLIENTS_VARIABLE} must be a whole number from 1 to ${UPPER_BOUND} (got "${value}"). Leave it unset for ${DEFAULT_MAX}.`);
  }
}

/**
 * How many clients RFC 7591 dynamic registration may have created and not yet deleted, all together (default
 * 1000): the per-address rate limit slows a flood, this bounds it. Throws on anything else.
 */
export function parseMaxDynamicClients(env: Env): number {
  const raw = env[MAX_DYNAMIC_CLIENTS_VARIABLE]?.trim();
  if (!raw) return DEFAULT_MAX;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > UPPER_BOUND) throw new MaxDynamicClientsError(raw);
  return Number(raw);
}

/**
 * The limit for request handling. A value `npm start` would refuse (only a hand-edited environment gets here)
 * means the default, never no limit.
 */
export function maxDynamicClients(env: Env = process.env): number {
  try {
    return parseMaxDynamicClients(env);
  } catch {
    return DEFAULT_MAX;
  }
}
