import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { routeRecorderPlugin } from "./tests/contract/route-recorder-plugin";

export default defineConfig({
  // Every route response a test receives is checked against the API reference (tests/contract).
  plugins: [routeRecorderPlugin(fileURLToPath(new URL("./", import.meta.url)).replace(/\/$/, ""))],
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
    setupFiles: ["tests/setup/contract-responses.ts"],
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: integration files each start their own schema; keep concurrency modest.
    maxWorkers: 2,
  },
});
