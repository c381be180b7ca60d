import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";

/** Secrets the app cannot run without. `generate` makes a fresh one for the embedded default. */
export const REQUIRED_SECRETS = {
  AUTH_SECRET: () => randomBytes(32).toString("base64url"),
  TOKEN_ENCRYPTION_KEYS: () => `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}:${randomBytes(32).toString("base64")}`,
  PAT_HASH_PEPPER: () => randomBytes(32).toString("base64url"),
} as const;

export type SecretName = keyof typeof REQUIRED_SECRETS;

export class MissingSecretError extends Error {
  readonly code = "missing_secret";
  constructor(readonly names: string[]) {
    super(
      `Missing required secret${names.length > 1 ? "s" : ""}: ${names.join(", ")}. ` +
        "Set them in the environment (see .env.example); with DATABASE_URL in production Tessera never generates secrets itself.",
    );
  }
}

/**
 * Fills in required secrets. Values from the environment always win. With `storeFile` (the embedded
 * default and development) missing ones are generated once into that file (mode 0600) and reused on
 * later starts; without it (production on a real database) a missing secret is an error naming it.
 */
export function resolveSecrets(env: NodeJS.ProcessEnv, storeFile: string | null, extra: Record<string, () => string> = {}): Record<string, string> {
  const wanted: Record<string, () => string> = { ...REQUIRED_SECRETS, ...extra };
  const stored: Record<string, string> = storeFile && existsSync(storeFile) ? JSON.parse(readFileSync(storeFile, "utf8")) : {};
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  let generated = false;
  for (const [name, generate] of Object.entries(wanted)) {
    const value = env[name] || stored[name];
    if (value) {
      resolved[name] = value;
    } else if (storeFile) {
      resolved[name] = stored[name] = generate();
      generated = true;
    } else {
      missing.push(name);
    }
  }
  if (missing.length) throw new MissingSecretError(missing);
  if (storeFile && generated) {
    writeFileSync(storeFile, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    chmodSync(storeFile, 0o600);
  }
  return resolved;
}
