/*
 * npm run bench -- --refresh-storm N (issue 26 §4): N connections with real demo-IdP grants whose access tokens
 * all expire within one job interval (1–6 minutes from the start), a provider answering each token request after
 * 50 ms, and the proactive refresh run as in production: this process plans (the cron job's part: batches on the
 * queue), K `npm run worker` processes take the batches. Once with 1 worker process, once with 2. Prints the
 * duration, provider calls in flight (each worker's peak from its job log, the total at the demo IdP), connections
 * refreshed only after they expired (goal 0) and double refreshes (goal 0).
 * Seeding: each grant goes through the demo IdP's real authorization-code flow (login, consent, code, token),
 * 32 at a time; there is no faster honest path (oidc-provider keeps grants in its own memory adapter).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { generateKeyringEntry } from "../../lib/crypto";
import { closeDatabase, connectDatabase, getDb } from "../../lib/db/client";
import { startDemoIdp } from "../../lib/idp/start-demo-idp";
import { obtainTokensByCodeFlow } from "../../lib/idp/testing/obtain-tokens-by-code-flow";
import { refreshAhead, type RefreshBatch } from "../../lib/jobs/refresh-ahead";
import { applyMigrations } from "../../lib/migrations/migrate";
import { storeSignInTokens } from "../../lib/provider-tokens/store-sign-in-tokens";
import { DEMO_CLIENT_IDS } from "../../lib/providers/catalog";
import { enqueueJob, JOB_SCHEMA, QUEUES } from "../../lib/queue/job-queue";

const APP_URL = "http://127.0.0.1:3999";
const PROVIDER_LATENCY_MS = 50;
const SEED_PARALLEL = 32;

type Worker = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function spawnWorker(env: Record<string, string>): Worker {
  let output = "";
  // As `npm run worker` runs it.
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/worker.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The highest peakInFlight a worker's "job done" lines for refresh batches report (pino JSON on stdout). */
function workerPeak(output: string): number {
  let peak = 0;
  for (const line of output.split("\n")) {
    if (!line.includes(QUEUES.refreshBatch)) continue;
    try {
      const parsed = JSON.parse(line) as { result?: { peakInFlight?: number } };
      peak = Math.max(peak, parsed.result?.peakInFlight ?? 0);
    } catch {
      // not a log line
    }
  }
  return peak;
}

export async function runRefreshStorm(options: { connections: number; serverUrl: string; log: (line: string) => void }): Promise<void> {
  const { connections: n, log } = options;
  const name = `tessera_storm_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: options.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = Object.assign(new URL(options.serverUrl), { pathname: `/${name}` }).toString();
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    TOKEN_ENCRYPTION_KEYS: generateKeyringEntry(),
    PAT_HASH_PEPPER: randomBytes(32).toString("base64url"),
  };
  Object.assign(process.env, secrets);
  const clientSecret = randomBytes(16).toString("base64url");
  // Google-like one-hour access tokens: a refreshed token is out of the 15-minute window.
  const idp = await startDemoIdp({ appUrls: [APP_URL], clientSecret, accessTokenTtlSeconds: 3600 });
  const workers: Worker[] = [];
  try {
    await applyMigrations(url);
    const db = (await connectDatabase(url, { poolMax: 8 })).db;

    const seedStart = Date.now();
    let seeded = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_PARALLEL }, async () => {
        while (next < n) {
          const i = next++;
          const login = `storm-${i}`;
          const user = await db.user.create({ data: { email: `${login}@example.com`, name: login } });
          const tokens = await obtainTokensByCodeFlow({
            issuer: idp.issuer,
            clientId: DEMO_CLIENT_IDS.google,
            clientSecret,
            redirectUri: `${APP_URL}/api/auth/callback/google`,
            login,
          });
          await storeSignInTokens(user.id, "google", {
            accessToken: tokens.access_token,
            refreshToken: tokens.refresh_token,
            idToken: tokens.id_token,
            expiresAt: new Date(Date.now() + tokens.expires_in * 1000),
            scopes: tokens.scope?.split(" "),
            tokenType: tokens.token_type,
          });
          if (++seeded % 1000 === 0) log(`  seeded ${seeded}/${n} (${((Date.now() - seedStart) / 1000).toFixed(0)} s)`);
        }
      }),
    );
    log(`\nRefresh storm: ${n} connections with real demo-IdP grants, seeded through the code flow in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    log(`  every access token expiring 1–6 minutes from the start (one job interval), provider latency ${PROVIDER_LATENCY_MS} ms`);
    idp.faults.tokenDelayMs = PROVIDER_LATENCY_MS;

    for (const instances of [1, 2]) {
      // A fresh storm: the same connections due again, none refreshed yet.
      await db.$executeRaw`UPDATE "ProviderConnection" SET "accessTokenExpiresAt" = now() + interval '60 seconds' + random() * interval '300 seconds', "lastRefreshedAt" = NULL, "lastUsedAt" = now()`;
      const expiries = new Map(
        (await db.providerConnection.findMany({ select: { id: true, accessTokenExpiresAt: true } })).map((row) => [
          row.id,
          row.accessTokenExpiresAt!.getTime(),
        ]),
      );
      const env = {
        ...secrets,
        DATABASE_URL: url,
        DATABASE_POOL_MAX: "5",
        DEMO_IDP_ISSUER: idp.issuer,
        DEMO_IDP_CLIENT_SECRET: clientSecret,
        TESSERA_JOB_POLL_SECONDS: "0.5",
        LOG_LEVEL: "info",
      };
      const started = Array.from({ length: instances }, () => spawnWorker(env));
      workers.push(...started);
      await until(() => started.every((w) => w.output().includes("job workers running")), 120_000, "the workers to start", 100);

      const grantsBefore = idp.counters.refreshGrants[DEMO_CLIENT_IDS.google] ?? 0;
      idp.counters.tokenRequestsPeakInFlight = 0;
      const t0 = Date.now();
      // The cron job's part, in this process: plan every due connection into batches on the queue.
      const plan = await refreshAhead(new Date(), { enqueue: (batch: RefreshBatch) => enqueueJob(QUEUES.refreshBatch, batch) });
      const planMs = Date.now() - t0;
      let allRefreshedMs = 0;
      await until(
        async () => {
          const refreshed = await getDb().providerConnection.count({ where: { lastRefreshedAt: { not: null } } });
          if (refreshed === n) allRefreshedMs = Date.now() - t0;
          return refreshed === n;
        },
        15 * 60_000,
        "every connection refreshed",
        250,
      );
      await until(
        async () =>
          (
            await getDb().$queryRawUnsafe<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
              QUEUES.refreshBatch,
            )
          )[0]!.n === 0,
        120_000,
        "the batch queue to drain",
      );
      for (const worker of started) worker.child.kill("SIGTERM");
      await Promise.all(started.map((w) => w.exited));

      const rows = await db.providerConnection.findMany({ select: { id: true, lastRefreshedAt: true } });
      const late = rows.filter((row) => !row.lastRefreshedAt || row.lastRefreshedAt.getTime() >= expiries.get(row.id)!).length;
      const grants = (idp.counters.refreshGrants[DEMO_CLIENT_IDS.google] ?? 0) - grantsBefore;
      const peaks = started.map((w) => workerPeak(w.output()));
      log(`  ${instances} worker process${instances === 1 ? "" : "es"}:`);
      log(`    planning (${plan.candidates} due → ${plan.batches} batches on the queue)  ${planMs} ms`);
      log(`    all ${n} refreshed after  ${(allRefreshedMs / 1000).toFixed(1)} s  (${(n / (allRefreshedMs / 1000)).toFixed(0)} refreshes/s)`);
      log(
        `    provider calls in flight, peak per worker  ${peaks.join(", ")}  (goal ≤ 8 each); at the provider in total  ${idp.counters.tokenRequestsPeakInFlight}`,
      );
      log(`    expired before refresh  ${late}  (goal 0)`);
      log(`    double refreshes  ${grants - n}  (${grants} refresh grants at the provider for ${n} connections; goal 0)`);
    }
  } finally {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    await closeDatabase();
    await idp.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
