import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

/*
 * Modules that hold or handle secrets (keys, keyrings, the pepper, the database client) open with
 * `import "server-only"`, so `next build` fails when a client component reaches one, directly or through
 * another module, instead of shipping it to the browser. Plain Node (scripts, tests) resolves the marker to
 * its empty module: scripts/server-only-hook.mjs, vitest.config.ts. (Breaking it once: deleting the first
 * line of lib/config/token-keyring.ts, or adding lib/crypto/new-file.ts without it, turns this red.)
 */
const SERVER_ONLY_MODULES = [
  "lib/config/secrets.ts",
  "lib/config/token-keyring.ts",
  "lib/access-tokens/pepper.ts",
  "lib/access-tokens/hash.ts",
  "lib/db/client.ts",
  "lib/provider-tokens/token-cipher.ts",
  "lib/webhooks/webhook-secret.ts",
  // Every module of lib/crypto, present and future.
  ...(readdirSync(join(process.cwd(), "lib/crypto"), { recursive: true }) as string[])
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map((file) => `lib/crypto/${file}`),
];

it('every module that holds or handles a secret starts with import "server-only"', () => {
  const firstLine = (file: string) => readFileSync(join(process.cwd(), file), "utf8").split("\n")[0]?.trim();
  const missing = SERVER_ONLY_MODULES.filter((file) => firstLine(file) !== 'import "server-only";');
  expect(missing).toEqual([]);
});
