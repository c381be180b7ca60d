import { createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";
import { StartupConfigError } from "./startup-config-error";

type Env = Readonly<Record<string, string | undefined>>;

export const GITHUB_SECRET_SCANNING_KEYS_VARIABLE = "GITHUB_SECRET_SCANNING_PUBLIC_KEYS";

/** GitHub's own format (https://api.github.com/meta/public_keys/secret_scanning), or just its array. */
const keyEntry = z.object({ key_identifier: z.string().min(1).max(200), key: z.string().min(1).max(4096), is_current: z.boolean().optional() });
const keysDocument = z.union([
  z.object({ public_keys: z.array(keyEntry).min(1) }),
  z
    .array(keyEntry)
    .min(1)
    .transform((public_keys) => ({ public_keys })),
]);

export class GithubSecretScanningKeysError extends StartupConfigError {
  readonly code = "invalid_github_secret_scanning_keys";
  constructor(problem: string) {
    super(
      `${GITHUB_SECRET_SCANNING_KEYS_VARIABLE} is not usable: ${problem}. Set it to the JSON that ` +
        "https://api.github.com/meta/public_keys/secret_scanning returns (ECDSA P-256 public keys in PEM), or leave it unset.",
    );
  }
}

/**
 * The public keys GitHub's secret scanning signs its reports with, by key identifier. Every listed key
 * counts, current or not: GitHub may still sign with the previous one while it rotates. Unset: an empty
 * map (every report is refused). Anything else that is not a list of P-256 keys throws, naming the problem.
 */
export function parseGithubSecretScanningKeys(env: Env): Map<string, KeyObject> {
  const raw = env[GITHUB_SECRET_SCANNING_KEYS_VARIABLE]?.trim();
  if (!raw) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new GithubSecretScanningKeysError("it is not JSON");
  }
  const parsed = keysDocument.safeParse(json);
  if (!parsed.success) throw new GithubSecretScanningKeysError('expected {"public_keys":[{"key_identifier","key"}]}');
  const keys = new Map<string, KeyObject>();
  for (const entry of parsed.data.public_keys) {
    let key: KeyObject;
    try {
      key = createPublicKey(entry.key);
    } catch {
      throw new GithubSecretScanningKeysError(`the key "${entry.key_identifier}" is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw new GithubSecretScanningKeysError(`the key "${entry.key_identifier}" is not an ECDSA P-256 key`);
    }
    keys.set(entry.key_identifier, key);
  }
  return keys;
}

let cached: { raw: string | undefined; keys: Map<string, KeyObject> } | null = null;

/**
 * The configured keys for request handling, parsed once per value of the variable. A value that does
 * not parse (`npm start` refuses it, so only a hand-edited environment gets here) gives no keys: the
 * route then refuses every report, never accepts one unchecked.
 */
export function githubSecretScanningKeys(env: Env = process.env): Map<string, KeyObject> {
  const raw = env[GITHUB_SECRET_SCANNING_KEYS_VARIABLE];
  if (cached && cached.raw === raw) return cached.keys;
  let keys: Map<string, KeyObject>;
  try {
    keys = parseGithubSecretScanningKeys(env);
  } catch {
    keys = new Map();
  }
  cached = { raw, keys };
  return keys;
}
