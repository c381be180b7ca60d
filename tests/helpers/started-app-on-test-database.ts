import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";
import type { DemoIdp } from "@/lib/idp/start-demo-idp";
import { freePort, waitForHealthy, type StartedApp } from "./spawn-start";
import { createTestDatabase, serverUrl, type TestDatabase } from "./test-database";

/*
 * `npm start` as a real process on a fresh database of the TEST_DATABASE_URL server, with this test
 * file's in-process demo IdP as every provider (so the test seeds users, services and tokens in the same
 * database, and the IdP's test hooks apply). Runs on the current build; TESSERA_TEST_DEV_START=1 runs
 * `npm run dev` instead (no build needed, slow first requests) to try these tests on a checkout that was never built.
 */
export const startedAppMode = isBuildCurrent() ? "build" : process.env.TESSERA_TEST_DEV_START === "1" ? "dev" : null;
export const canStartApp = Boolean(startedAppMode && serverUrl);
export const startedAppSkipReason = !startedAppMode ? "run `npm run build` first" : !serverUrl ? "TEST_DATABASE_URL is not set" : "";

export function startAppOnTestDatabase(idp: () => DemoIdp, extraEnv: Record<string, string> = {}): () => { app: StartedApp; database: TestDatabase } {
  let database: TestDatabase | undefined;
  let app: StartedApp | undefined;
  let dataDir = "";
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    dataDir = mkdtempSync(path.join(tmpdir(), "tessera-started-"));
    const env = {
      TESSERA_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: "5",
      AUTH_SECRET: process.env.AUTH_SECRET!,
      TOKEN_ENCRYPTION_KEYS: process.env.TOKEN_ENCRYPTION_KEYS!,
      PAT_HASH_PEPPER: process.env.PAT_HASH_PEPPER!,
      TRUSTED_PROXY_HOPS: "",
      DEMO_IDP_SHARED_ISSUER: idp().issuer,
      DEMO_IDP_CLIENT_SECRET: process.env.DEMO_IDP_CLIENT_SECRET!,
      TESSERA_WORKERS: "0",
      LOG_LEVEL: "info",
      TESSERA_DEMO: "1",
      ...extraEnv,
    };
    const port = await freePort();
    let output = "";
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", ...(startedAppMode === "dev" ? ["--dev"] : [])], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    app = { child, output: () => output, exited, url: `http://127.0.0.1:${port}` };
    await waitForHealthy(app, 180_000);
  }, 240_000);
  afterAll(async () => {
    if (app && app.child.exitCode === null) app.child.kill("SIGTERM");
    await app?.exited;
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
  return () => {
    if (!app || !database) throw new Error("app not started");
    return { app, database };
  };
}
