/*
 * npm start: everything a fresh clone needs to serve Tessera.
 *   1. secrets: from the environment, else generated once into .data/secrets.json or TESSERA_SECRETS_FILE
 *      (0600, refused if group/world accessible) — except in production on a real DATABASE_URL, where a
 *      missing secret stops the start and is named;
 *   2. database: DATABASE_URL, else the embedded PostgreSQL (PGlite) with its data in .data/pglite;
 *   3. migrations; 4. the demo identity provider when no real provider is configured;
 *   5. `next build` when the build is missing or stale, started before 2–4 and run beside them (it needs none of
 *      them; issue 26 §6); 6. the app server, scripts/serve.ts: Next (or
 *      `next dev` with --dev) behind our own HTTP server, which sets the client address (TRUSTED_PROXY_HOPS).
 * Ctrl-C or SIGTERM stops the app server first (it finishes requests in flight, up to
 * SHUTDOWN_GRACE_SECONDS, and closes its database pool), then the identity provider, then closes the
 * embedded database cleanly. SIGTERM (an orchestrator's stop) exits 0; Ctrl-C exits 130.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync, writeFileSync } from "node:fs";
import { parseTrustedProxyHops } from "../lib/http/client-ip";
import { loadSecrets } from "../lib/config/secrets";
import { StartupConfigError } from "../lib/config/startup-config-error";
import { checkProviderSetup } from "../lib/config/check-provider-setup";
import { parseGithubSecretScanningKeys } from "../lib/config/github-secret-scanning-keys";
import { parseRefreshReuseWindowSeconds } from "../lib/config/refresh-reuse-window";
import { parseMaxDynamicClients } from "../lib/config/max-dynamic-clients";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/migrations/migrate";
import { isBuildCurrent } from "../lib/runtime/build-fingerprint";
import { startBackgroundBuild, type BackgroundBuild } from "../lib/runtime/background-build";
import { dataDir } from "../lib/config/data-dir";
import { parseShutdownGraceSeconds } from "../lib/runtime/drain-server";
import { findRunningEmbeddedUrl, RUNNING_EMBEDDED_URL_FILE } from "../lib/runtime/with-database-url";
import { startDemoServicesIfNeeded, type DemoServices } from "../lib/runtime/demo-services";
import { semiSpaceFlags } from "../lib/config/semi-space";
import { describeDatabase, formatStartBanner } from "../lib/runtime/start-banner";
import { judgeProcessFault } from "../lib/runtime/process-faults";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PORT: String(port) };
(env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
env.AUTH_TRUST_HOST ??= "true";

let embedded: EmbeddedPostgres | undefined;
let demo: DemoServices | undefined;
let build: BackgroundBuild | undefined;
let next: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

function log(message: string) {
  console.log(`[tessera] ${message}`);
}

async function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    build?.cancel();
    if (next && next.exitCode === null && next.signalCode === null) {
      const exited = new Promise((resolve) => next!.once("exit", resolve));
      next.kill("SIGTERM");
      // The app server waits up to the grace period for requests in flight, then closes its pool.
      const timer = setTimeout(() => next?.kill("SIGKILL"), (parseShutdownGraceSeconds(env.SHUTDOWN_GRACE_SECONDS) + 15) * 1000);
      await exited;
      clearTimeout(timer);
    }
    await demo?.close().catch(() => {});
    if (embedded) {
      rmSync(dataDir(RUNNING_EMBEDDED_URL_FILE), { force: true });
      await embedded.stop();
      log("embedded database closed");
    }
  })();
  await stopping;
  process.exit(code);
}

process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(0));
// This process hosts the embedded database and the demo IdP. What escapes a handler (one IdP request's
// socket, one database client's connection) is logged with an incident id and the process keeps serving;
// a broken invariant of the process (ProcessInvariantError) stops everything in order (Next, the IdP,
// the database closed cleanly) instead of dying with the files open.
process.on("uncaughtException", (error) => fault("uncaught exception", error));
process.on("unhandledRejection", (reason) => fault("unhandled promise rejection", reason));

function fault(kind: "uncaught exception" | "unhandled promise rejection", error: unknown) {
  const decision = judgeProcessFault(kind, error);
  console.error(decision.line);
  if (decision.stop) void stop(1);
}

try {
  const usesEmbedded = !env.DATABASE_URL;
  parseTrustedProxyHops(env.TRUSTED_PROXY_HOPS); // a bad value stops the start here, named
  parseShutdownGraceSeconds(env.SHUTDOWN_GRACE_SECONDS);
  Object.assign(env, loadSecrets(env, { generate: usesEmbedded || dev }));
  checkProviderSetup(env);
  parseGithubSecretScanningKeys(env); // a malformed key list stops the start here, named
  parseRefreshReuseWindowSeconds(env);
  parseMaxDynamicClients(env);
  const appServerFlags = semiSpaceFlags(env);

  // Checked before the build starts: a second start must not rebuild the `.next` a running one serves.
  if (usesEmbedded && (await findRunningEmbeddedUrl())) {
    throw new Error("another `npm start` is already serving this data directory (.data); stop it first");
  }
  // The configuration is valid: start a missing or stale build now, while the database opens and migrates.
  const buildStarted = Date.now();
  if (!dev && !isBuildCurrent()) {
    log("building the app (first start or changed sources; a minute or two, progress below)…");
    build = startBackgroundBuild(process.execPath, [tsxCli(), "scripts/build.ts"], env);
  }

  if (usesEmbedded) {
    embedded = await startEmbeddedPostgres({ dataDir: dataDir("pglite"), port: Number(env.EMBEDDED_DB_PORT ?? 0) });
    env.DATABASE_URL = embedded.url;
    writeFileSync(dataDir(RUNNING_EMBEDDED_URL_FILE), embedded.url, { mode: 0o600 });
    // PGlite is a single session behind a multiplexing socket: one app connection avoids interleaving.
    env.DATABASE_POOL_MAX ??= "1";
    log(`embedded PostgreSQL (PGlite) on 127.0.0.1:${embedded.port}, data in ${dataDir("pglite")}`);
  }

  const applied = await applyMigrations(env.DATABASE_URL!);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  demo = await startDemoServicesIfNeeded(env, port);
  if (demo) log(`demo identity provider at ${demo.issuer} (sign in as alice, bob or admin; any password)`);

  if (build) {
    await build.finished.catch((error: Error) => {
      throw new Error(`next build failed (${error.message}; its errors are above); fix them, or run \`npm run build\` to see them again`);
    });
    log(`built in ${Math.round((Date.now() - buildStarted) / 1000)} s`);
  }

  // TESSERA_LOG_FILE keeps a copy of everything the app prints (tests search it for leaked secrets).
  const logFile = env.TESSERA_LOG_FILE ? createWriteStream(env.TESSERA_LOG_FILE, { flags: "a", mode: 0o600 }) : null;
  // Node with tsx's loader, not the tsx CLI: the CLI relays SIGTERM and SIGKILLs a child that does not
  // acknowledge it within 30 ms — a busy server draining its requests would be killed mid-answer.
  // TESSERA_CPU_PROF_DIR (npm run bench -- --cpu-prof DIR): a V8 CPU profile of the app server, written when it stops.
  const profile = env.TESSERA_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${env.TESSERA_CPU_PROF_DIR}`] : [];
  next = spawn(process.execPath, [...appServerFlags, ...profile, "--import", tsxLoader(), "scripts/serve.ts", ...(dev ? ["--dev"] : [])], {
    stdio: ["inherit", logFile ? "pipe" : "inherit", logFile ? "pipe" : "inherit"],
    env,
  });
  if (logFile) {
    next.stdout!.on("data", (chunk) => (process.stdout.write(chunk), logFile.write(chunk)));
    next.stderr!.on("data", (chunk) => (process.stderr.write(chunk), logFile.write(chunk)));
  }
  next.on("exit", (code, signal) => {
    if (!stopping) void stop(code ?? (signal ? 1 : 0));
  });
  log(`starting the app server on port ${port}…`);
  void announceWhenReady();
} catch (error) {
  if (error instanceof StartupConfigError) {
    console.error(`[tessera] ${error.message}`);
  } else {
    console.error("[tessera] start failed:", error instanceof Error ? error.message : error);
  }
  await stop(1);
}

/** Prints the banner once the app answers its health check (the database reachable, Next ready). */
async function announceWhenReady(): Promise<void> {
  const database = describeDatabase({ embeddedDir: embedded ? dataDir("pglite") : null, databaseUrl: env.DATABASE_URL });
  for (;;) {
    if (stopping || !next || next.exitCode !== null) return;
    const healthy = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) {
      console.log(formatStartBanner({ port, env, database, dev }));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function tsxLoader(): string {
  return new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
}

function tsxCli(): string {
  return new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url).pathname;
}
