import { StartupConfigError } from "./startup-config-error";

type Env = Readonly<Record<string, string | undefined>>;

export const SEMI_SPACE_VARIABLE = "TESSERA_SEMI_SPACE_MB";
const DEFAULT_MB = 64;
// Beyond this a number is more likely a typo than a plan (the young generation is two semi-spaces).
const UPPER_BOUND = 1024;

export class SemiSpaceError extends StartupConfigError {
  readonly code = "invalid_semi_space";
  constructor(value: string) {
    super(
      `${SEMI_SPACE_VARIABLE} must be a whole number of MB from 0 to ${UPPER_BOUND} (got "${value}"); 0 keeps Node's default. Leave it unset for ${DEFAULT_MB}.`,
    );
  }
}

/**
 * Node flags for the app server's young generation (V8's `--max-semi-space-size`, in MB). Issue 26: every request
 * allocates short-lived objects (Next's request and response objects, web streams, pg rows), and with Node's default
 * (16 MB) the scavenger ran often enough to be a tenth of the app's CPU. At 64 MB, in alternating runs on a 2-core
 * machine, `/api/health` served about 7% more and a PAT call 8–10% more; the cost is up to 96 MB more memory at peak.
 * 0 keeps Node's default. Throws on anything else.
 */
export function semiSpaceFlags(env: Env): string[] {
  const raw = env[SEMI_SPACE_VARIABLE]?.trim();
  if (!raw) return [`--max-semi-space-size=${DEFAULT_MB}`];
  if (!/^\d{1,4}$/.test(raw) || Number(raw) > UPPER_BOUND) throw new SemiSpaceError(raw);
  return Number(raw) === 0 ? [] : [`--max-semi-space-size=${Number(raw)}`];
}
