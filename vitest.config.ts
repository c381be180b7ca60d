import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    // Fixed test-only secrets (never used outside tests).
    env: {
      PAT_HASH_PEPPER: "test-pepper-not-secret",
      TOKEN_ENCRYPTION_KEYS: "ktest1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      AUTH_SECRET: "test-auth-secret-not-secret",
      LOG_LEVEL: "silent",
    },
    globalSetup: ["tests/setup/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files each start their own schema; keep concurrency modest.
    maxWorkers: 2,
    // next-auth's ESM imports "next/server" without an extension, which plain Node cannot resolve:
    // let Vite transform it (server actions that call signIn/signOut are exercised in tests).
    server: { deps: { inline: ["next-auth"] } },
  },
});
