import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { routeRecorderPlugin } from "./tests/contract/route-recorder-plugin";

export default defineConfig({
  // Every route response a test receives is checked against the API reference (tests/contract).
  plugins: [routeRecorderPlugin(fileURLToPath(new URL("./", import.meta.url)).replace(/\/$/, ""))],
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // lib/ modules that hold secrets start with `import "server-only"`, which throws outside Next's react-server
      // layer. Only that marker is redirected: a global react-server condition would change how React resolves.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    environment: "node",
    // `unit`: pure functions and files next to their code, no server and no database (`npx vitest --project unit`).
    // `integration`: tests that start servers or databases, all under tests/ (tests/servers, tests/integration).
    projects: [
      { extends: true, test: { name: "unit", include: ["lib/**/*.test.ts", "tests/structure/**/*.test.ts", "tests/config/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["tests/servers/**/*.test.ts", "tests/integration/**/*.test.ts"] } },
    ],
    // Fixed test-only secrets (never used outside tests).
    env: {
      PAT_HASH_PEPPER: "test-pepper-not-secret",
      TOKEN_ENCRYPTION_KEYS: "ktest1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      AUTH_SECRET: "test-auth-secret-not-secret",
      LOG_LEVEL: "silent",
      // Processes the tests spawn (`node --import tsx scripts/start.ts`, tsx workers under tests/helpers) load the
      // same resolution hook as package.json's scripts, see scripts/server-only-hook.mjs.
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${new URL("./scripts/server-only-hook.mjs", import.meta.url).href}`.trim(),
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
