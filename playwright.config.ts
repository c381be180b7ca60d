// lib/ modules marked `server-only` load in the test processes too (the hook adds itself to NODE_OPTIONS for the workers).
import "./scripts/server-only-hook.mjs";
import { defineConfig } from "@playwright/test";
import { writeOperatorProvidersFile } from "./e2e/support/operator-providers";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

/*
 * e2e runs the production build (`npm run build` first; `npm test` does) through the same start
 * script users run, on a fresh embedded database, with the demo identity provider, in Debian's Chromium.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Room for a loaded machine (issue 21 §6: load average 10 on 2 cores): a spec fails on a page that never comes,
  // not on a slow one. Assertions wait up to 15 s instead of Playwright's default 5 s.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: process.env.E2E_TRACE ? "retain-on-failure" : "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" }, testIgnore: /log-scan\.spec\.ts/ },
    // The app log is searched once, after every other spec (refresh, handout, revoke-all… all logged by then).
    { name: "log-scan", testMatch: /log-scan\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: {
    // The log and the lists of issued token values start empty with every run (see e2e/support/issued-tokens.ts).
    command:
      "rm -rf .data/e2e .data/e2e-app.log .data/e2e-idp-issued-tokens.txt .data/e2e-test-tokens.txt .data/e2e-log-control.json .data/e2e-section-holds && npx tsx --import ./scripts/server-only-hook.mjs scripts/start.ts",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      TESSERA_DATA_DIR: ".data/e2e",
      TESSERA_LOG_FILE: ".data/e2e-app.log",
      DEMO_IDP_PORT: process.env.E2E_IDP_PORT ?? "3101",
      // Known to the tests so they can introspect tokens at the demo IdP, like an auditor would.
      DEMO_IDP_CLIENT_SECRET: "e2e-demo-client-secret",
      LOG_LEVEL: "info",
      // The leak guard's webhook receiver runs on loopback; deliveries come fast (workers poll every 0.5 s).
      TESSERA_WEBHOOK_ALLOW_PRIVATE: "1",
      TESSERA_JOB_POLL_SECONDS: "0.5",
      // The leak guard replays a rotated refresh token at once and expects the family revoked: no grace window
      // here (tests/integration/oauth-refresh-reuse-window.test.ts covers the 30 s default).
      TESSERA_REFRESH_REUSE_WINDOW_SECONDS: "0",
      // e2e/mcp-sdk-auth.spec.ts serves a client ID metadata document from https://127.0.0.1 with a test-only
      // certificate: allow that private address (test-only setting) and trust that certificate.
      TESSERA_CLIENT_METADATA_ALLOW_PRIVATE: "1",
      NODE_EXTRA_CA_CERTS: "e2e/support/cimd-tls/cert.pem",
      // Test-only: the demo IdP appends every token it issues here, for the log scan.
      DEMO_IDP_ISSUED_TOKENS_FILE: ".data/e2e-idp-issued-tokens.txt",
      // Issue 23: a provider added only through the operator's catalogue file, played by the demo IdP as a generic
      // OAuth 2.0 provider; e2e/provider-contract.spec.ts runs the same contract on it as on the shipped entries.
      TESSERA_PROVIDERS_FILE: writeOperatorProvidersFile(),
      TESSERA_PROVIDER_ACME_ID: "tessera-demo-acme",
      TESSERA_PROVIDER_ACME_SECRET: "e2e-demo-client-secret",
      DEMO_IDP_CONNECT_PROVIDERS: "acme",
      // Test-only: e2e/loading-states.spec.ts holds a page's slow section until it writes a release file here, to see
      // the skeleton without racing a clock (lib/ui/hold-section-for-e2e.ts). Never set outside this file.
      TESSERA_E2E_SECTION_HOLD_DIR: ".data/e2e-section-holds",
    },
  },
});
