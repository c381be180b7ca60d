/** Defaults: 10 MiB per body (each direction), 30 s per provider call, response body included. */
export const DEFAULT_PROXY_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_PROXY_TIMEOUT_MS = 30_000;

type Env = Readonly<Record<string, string | undefined>>;

/** PROXY_MAX_BODY_BYTES and PROXY_TIMEOUT_MS override the defaults (read per call: tests and operators change them). */
export function readProxyLimits(env: Env = process.env): { maxBodyBytes: number; timeoutMs: number } {
  return {
    maxBodyBytes: positiveInteger(env.PROXY_MAX_BODY_BYTES) ?? DEFAULT_PROXY_MAX_BODY_BYTES,
    timeoutMs: positiveInteger(env.PROXY_TIMEOUT_MS) ?? DEFAULT_PROXY_TIMEOUT_MS,
  };
}

function positiveInteger(value: string | undefined): number | null {
  if (!value || !/^[1-9][0-9]{0,12}$/.test(value.trim())) return null;
  return Number(value.trim());
}
