import { StartupConfigError } from "./startup-config-error";

type Env = Readonly<Record<string, string | undefined>>;

export const REFRESH_REUSE_WINDOW_VARIABLE = "TESSERA_REFRESH_REUSE_WINDOW_SECONDS";
const DEFAULT_SECONDS = 30;
// Long enough for a slow network and a retry; any longer and a stolen, already rotated refresh token stays
// quietly usable (instead of revoking its family) for that long.
const MAX_SECONDS = 300;

export class RefreshReuseWindowError extends StartupConfigError {
  readonly code = "invalid_refresh_reuse_window";
  constructor(value: string) {
    super(
      `${REFRESH_REUSE_WINDOW_VARIABLE} must be a whole number of seconds from 0 (no window) to ${MAX_SECONDS} (got "${value}"). Leave it unset for ${DEFAULT_SECONDS}.`,
    );
  }
}

/**
 * How long after a refresh token is rotated the same client may present it again and get the same new
 * pair rather than revoke its family (default 30 s, 0 turns the window off). Throws on anything else.
 */
export function parseRefreshReuseWindowSeconds(env: Env): number {
  const raw = env[REFRESH_REUSE_WINDOW_VARIABLE]?.trim();
  if (!raw) return DEFAULT_SECONDS;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) > MAX_SECONDS) throw new RefreshReuseWindowError(raw);
  return Number(raw);
}

/**
 * The window for request handling. A value `npm start` would refuse (only a hand-edited environment gets
 * here) means no window: reuse then revokes the family, the strict behaviour, never a longer grace.
 */
export function refreshReuseWindowSeconds(env: Env = process.env): number {
  try {
    return parseRefreshReuseWindowSeconds(env);
  } catch {
    return 0;
  }
}
