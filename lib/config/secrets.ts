import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "./data-dir";
import { StartupConfigError } from "./startup-config-error";

/** Secrets the app cannot run without. `generate` makes a fresh one for the embedded default. */
export const REQUIRED_SECRETS = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  TOKEN_ENCRYPTION_KEYS: () => `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}:${randomBytes(32).toString("base64")}`,
  PAT_HASH_PEPPER: () => randomBytes(32).toString("base64url"),
} as const;

type Env = Record<string, string | undefined>;

export type SecretName = keyof typeof REQUIRED_SECRETS;

export class MissingSecretError extends StartupConfigError {
  readonly code = "missing_secret";
  constructor(readonly names: string[]) {
    super(
      `Missing required secret${names.length > 1 ? "s" : ""}: ${names.join(", ")}. ` +
        "Set them in the environment (see .env.example); with DATABASE_URL in production Tessera never generates secrets itself.",
    );
  }
}

/** Refused: anyone but the owner can read the file that holds the keys to every stored token. */
export class InsecureSecretsFileError extends StartupConfigError {
  readonly code = "insecure_secrets_file";
  constructor(
    readonly file: string,
    readonly mode: number,
  ) {
    super(
      `${file} can be read or changed by its group or by everyone (mode ${(mode & 0o777).toString(8).padStart(3, "0")}); ` +
        `it holds the keys to every stored token. Run: chmod 600 ${shellQuote(file)}`,
    );
  }
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** Where generated secrets live: `TESSERA_SECRETS_FILE`, else `.data/secrets.json` beside the embedded database. */
export function secretsFilePath(env: Env = process.env): string {
  return env.TESSERA_SECRETS_FILE ? path.resolve(env.TESSERA_SECRETS_FILE) : dataDir("secrets.json");
}

/** Throws InsecureSecretsFileError when the file exists and its group or others have any permission on it. */
export function assertSecretsFilePrivate(file: string): void {
  if (!existsSync(file)) return;
  const { mode } = statSync(file);
  if (mode & 0o077) throw new InsecureSecretsFileError(file, mode);
}

/**
 * The secrets `npm start` and the scripts run with. With `generate` (the embedded default, development) missing
 * secrets are generated into the secrets file; otherwise the file is only read, and only when
 * TESSERA_SECRETS_FILE names it. The file's mode is checked on every start.
 */
export function loadSecrets(env: Env, { generate }: { generate: boolean }): Record<string, string> {
  if (generate) return resolveSecrets(env, secretsFilePath(env));
  return resolveSecrets(env, env.TESSERA_SECRETS_FILE ? secretsFilePath(env) : null, {}, { generate: false });
}

/**
 * Fills in required secrets. Values from the environment always win. With `storeFile` (the embedded
 * default and development) missing ones are generated once into that file (mode 0600) and reused on
 * later starts; without it (production on a real database) a missing secret is an error naming it.
 */
export function resolveSecrets(
  env: Env,
  storeFile: string | null,
  extra: Record<string, () => string> = {},
  { generate: mayGenerate = true }: { generate?: boolean } = {},
): Record<string, string> {
  const wanted: Record<string, () => string> = { ...REQUIRED_SECRETS, ...extra };
  if (storeFile) assertSecretsFilePrivate(storeFile);
  const stored: Record<string, string> = storeFile && existsSync(storeFile) ? JSON.parse(readFileSync(storeFile, "utf8")) : {};
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  let generated = false;
  for (const [name, generate] of Object.entries(wanted)) {
    const value = env[name] || stored[name];
    if (value) {
      resolved[name] = value;
    } else if (storeFile && mayGenerate) {
      resolved[name] = stored[name] = generate();
      generated = true;
    } else {
      missing.push(name);
    }
  }
  if (missing.length) throw new MissingSecretError(missing);
  if (storeFile && generated) {
    mkdirSync(path.dirname(storeFile), { recursive: true, mode: 0o700 });
    writeFileSync(storeFile, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    chmodSync(storeFile, 0o600);
  }
  return resolved;
}
