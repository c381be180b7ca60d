/*
 * npm run bench — figures for the notes, not a test.
 *   1. PAT verification cost: autocannon against a production build,
 *      GET /api/health (no auth) vs GET /api/v1/me with a PAT and with an OAuth application's token, same connections and duration.
 *      Also the token exchange (POST /api/oauth/token, RFC 8693, no refresh due) next to /api/health (goal ≥ 0.8×),
 *      and the provider API proxy: GET /api/proxy/google/me next to /api/health with the demo API answering at once (goal ≥ 0.7×),
 *      and vs the same call made directly to the demo API answering in 100 ms (goal ≥ 0.9×),
 *      and the MCP endpoint: a call_provider_api tool call vs the same /api/proxy call (issue 24, goal ≥ 0.8×).
 *      Every server gets 30 s of load once it answers, and every target 10 s of its own requests before it is measured.
 *   2. Admin dashboard at scale: seeds --users (default 100000) and times /admin, /admin/users and a
 *      user's security tab over HTTP (median of several runs).
 *   0. The framework floor (issue 26): /api/health and a PAT call next to a bare Next route handler running `select 1`
 *      on the same database (scripts/bench/bare-next.ts), at 1 and 10 connections; server database only (--skip-floor).
 *      The proxy and exchange sections also measure the same bare app's proxy and token routes: the least those calls
 *      cost in Next, so each ratio to /api/health comes with the ratio Next itself allows.
 *   Ratios against /api/health or the bare route come from alternating targets in short slices (`alternating`), and each
 *   of Tessera's figures carries the app server's CPU per request (scripts/bench/app-cpu.ts).
 *   --only floor,pat,proxy,mcp,app-token,exchange,admin: just those sections (/api/health is always measured).
 *   --cpu-prof DIR: the app server writes a V8 CPU profile to DIR when the bench stops it (open it in Chrome DevTools),
 *      and the bare Next app its own to DIR/bare-next.
 *   --syscalls: also socket writes per request on the app server, counted by strace (scripts/bench/socket-writes.ts).
 *   --admin-database <url>: only part 2, on a database seeded beforehand (npm run seed:demo -- --users 1000000).
 * --database server (default): BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created and dropped).
 * --database embedded: the embedded PostgreSQL (PGlite, in a temporary directory) with one app connection,
 *   as `npm start` runs it without DATABASE_URL; the admin part is skipped there.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { hashSessionToken } from "../lib/auth/hash-session-token";
import { generateKeyringEntry } from "../lib/crypto";
import { closeDatabase, connectDatabase } from "../lib/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/migrations/migrate";
import { obtainTokensByCodeFlow } from "../lib/idp/testing/obtain-tokens-by-code-flow";
import { createToken } from "../lib/pat/create-token";
import { storeSignInTokens } from "../lib/provider-tokens/store-sign-in-tokens";
import { isBuildCurrent } from "../lib/runtime/build-fingerprint";
import { DEMO_CLIENT_IDS } from "../lib/providers/catalog";
import { s256 } from "../lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "../lib/oauth-apps/authorize-application";
import { validateAuthorizationRequest } from "../lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "../lib/oauth-apps/create-application";
import { createServiceClient } from "../lib/service-clients/create-service-client";
import { issueServiceToken } from "../lib/service-clients/issue-service-token";
import { seedDemoData } from "../lib/seed/seed-demo-data";
import { freePort, spawnStart, waitForHealthy } from "../tests/helpers/spawn-start";
import { startBareNext, type BareNext } from "./bench/bare-next";
import { timeAdminPages } from "./bench/admin-pages";
import { runRefreshStorm } from "./bench/refresh-storm";
import { appServerPid, socketWritesPerRequest, straceAvailable } from "./bench/socket-writes";
import { processCpuMicros } from "./bench/app-cpu";
import nextPackage from "next/package.json" with { type: "json" };

const nextVersion = nextPackage.version;

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "100000" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    database: { type: "string", default: "server" },
    "skip-admin": { type: "boolean", default: false },
    "skip-floor": { type: "boolean", default: false },
    "admin-database": { type: "string" },
    "refresh-storm": { type: "string" },
    syscalls: { type: "boolean", default: false },
    only: { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
if (values.database !== "server" && values.database !== "embedded") throw new Error("--database is server or embedded");
if (values.syscalls && !straceAvailable()) throw new Error("--syscalls needs strace (apt-get install strace)");
const embeddedMode = values.database === "embedded";
const SECTIONS = ["floor", "pat", "proxy", "mcp", "app-token", "exchange", "admin"] as const;
const only = values.only?.split(",");
if (only?.some((name) => !(SECTIONS as readonly string[]).includes(name))) throw new Error(`--only takes a list of ${SECTIONS.join(", ")}`);
/** Whether this run measures a section (--only floor,exchange: just those; the default: all). */
const runs = (section: (typeof SECTIONS)[number]) => !only || only.includes(section);
if (values["admin-database"]) {
  // Only the admin pages, on a database seeded beforehand (`npm run seed:demo -- --users 1000000`): a million users
  // take minutes to seed, the pages seconds to time.
  const databaseUrl = values["admin-database"];
  const started = spawnStart(
    {
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      TOKEN_ENCRYPTION_KEYS: generateKeyringEntry(),
      PAT_HASH_PEPPER: randomBytes(32).toString("base64url"),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "warn",
      TESSERA_DEMO: "1",
      TESSERA_WORKERS: "0",
    },
    await freePort(),
  );
  try {
    await waitForHealthy(started);
    await timeAdminPages({ appUrl: started.url, databaseUrl, log: console.log });
  } finally {
    started.child.kill("SIGTERM");
    await started.exited;
  }
  process.exit(0);
}
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
if (values["refresh-storm"]) {
  // Issue 26 §4, on its own: no app build needed (scripts/bench/refresh-storm.ts).
  await runRefreshStorm({ connections: Number(values["refresh-storm"]), serverUrl: server, log: console.log });
  process.exit(0);
}
const name = `tessera_bench_${randomBytes(4).toString("hex")}`;
let admin: pg.Client | undefined;
let embedded: EmbeddedPostgres | undefined;
const embeddedDir = embeddedMode ? mkdtempSync(path.join(tmpdir(), "tessera-bench-")) : null;
let url: string;
if (embeddedDir) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(embeddedDir, "pglite") });
  url = embedded.url;
} else {
  admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
}
const secrets = {
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  TOKEN_ENCRYPTION_KEYS: generateKeyringEntry(),
  PAT_HASH_PEPPER: randomBytes(32).toString("base64url"),
};
Object.assign(process.env, secrets);
const databaseLabel = embeddedMode ? "embedded PostgreSQL (PGlite), 1 app connection" : "PostgreSQL server";

let app: ReturnType<typeof spawnStart> | undefined;
let bare: BareNext | undefined;
try {
  if (!isBuildCurrent()) throw new Error("no current production build: run `npm run build` first");
  await applyMigrations(url);
  const { db } = await connectDatabase(url, { poolMax: embeddedMode ? 1 : 4 });
  const port = await freePort();
  // A known demo IdP port and secret: the proxy benchmark obtains real tokens from it and calls its demo API directly.
  // The embedded database is served by this process here, so the app gets it as DATABASE_URL, with the one connection `npm start` gives it.
  const idpPort = await freePort();
  const idpSecret = randomBytes(16).toString("base64url");
  app = spawnStart(
    {
      ...secrets,
      DATABASE_URL: url,
      ...(embeddedMode ? { DATABASE_POOL_MAX: "1" } : {}),
      LOG_LEVEL: "warn",
      DEMO_IDP_PORT: String(idpPort),
      DEMO_IDP_CLIENT_SECRET: idpSecret,
      TESSERA_DEMO: "1",
      // The MCP comparison below must measure /mcp, not its per-grant limit (120 calls a minute by default).
      MCP_CALLS_PER_MINUTE: "9999999",
      ...(values["cpu-prof"] ? { TESSERA_CPU_PROF_DIR: path.resolve(values["cpu-prof"]) } : {}),
    },
    port,
  );
  await waitForHealthy(app);

  const user = await db.user.create({ data: { email: "bench@example.com", name: "Bench", role: "ADMIN" } });
  // createToken re-checks the credential that asked for it: a session, as the browser would have.
  const benchSession = randomBytes(32).toString("hex");
  await db.session.create({ data: { sessionToken: hashSessionToken(benchSession), userId: user.id, expires: new Date(Date.now() + 3600_000) } });
  const created = await createToken(
    user,
    { name: "bench", scopes: ["profile:read"], expiresInDays: 1, selfDescribing: false },
    { ip: null, credential: { sessionToken: benchSession } },
  );
  if (!created.ok) throw new Error(created.message);

  /*
   * A freshly started server is not yet the server that runs for days: V8 compiles its hot code while the first tens of
   * thousands of requests run. On 2026-12-05 an app server under constant /api/health load spent 3,446 µs of CPU per
   * request in its first 8 s, 1,485 µs up to 32 s and 1,112–1,319 µs from then on; a 500-request warm-up, as the bench
   * had, measured its first sections (the framework floor among them) half warmed, against a bare Next route that has
   * far less code to compile. So each server gets SERVER_WARM_UP_SECONDS of load once it answers, and each target
   * WARM_UP_SECONDS of its own requests before it is measured.
   */
  const SERVER_WARM_UP_SECONDS = 30;
  const WARM_UP_SECONDS = 10;
  const defaultConnections = Number(values.connections);
  const warmUp = async (request: autocannon.Options, seconds: number) => {
    const warm = await autocannon({ ...request, duration: seconds });
    if (warm.non2xx || warm.errors) throw new Error(`${request.url}: warm-up failed (${warm.non2xx} non-2xx, ${warm.errors} errors)`);
  };

  /** One run: `duration` seconds, after a warm-up unless the target was just warmed (a later slice of `alternating`). */
  type Run = { duration: number; warmUp: boolean };
  const measure = async (
    target: string,
    headers: Record<string, string> = {},
    post?: string,
    connections = defaultConnections,
    run: Run = { duration: Number(values.duration), warmUp: true },
  ) => {
    const request = {
      url: target.startsWith("http") ? target : `${app!.url}${target}`,
      connections,
      headers,
      ...(post ? { method: "POST" as const, body: post } : {}),
    };
    // Warm-up: WARM_UP_SECONDS of the same requests, then the measured run.
    if (run.warmUp) await warmUp(request, WARM_UP_SECONDS);
    if (values.syscalls && run.warmUp && !target.startsWith("http")) {
      // --syscalls: 1,000 requests under strace, socket writes per request (the req/s of this mode mean nothing); once
      // per target, not in each slice of `alternating`.
      const perRequest = await socketWritesPerRequest(appServerPid(app!.child.pid!), async () => {
        const counted = await autocannon({ ...request, amount: 1000 });
        if (counted.non2xx || counted.errors) throw new Error(`${target}: ${counted.non2xx} non-2xx, ${counted.errors} errors under strace`);
        return counted.requests.total;
      });
      console.log(`    [${post ? "POST" : "GET"} ${target}: ${perRequest.toFixed(2)} socket writes per request (strace, 1,000 requests)]`);
    }
    // Tessera's own targets and the bare Next app's: the server's CPU per request too (scripts/bench/app-cpu.ts).
    const pid = bare && target.startsWith(bare.url) ? bare.pid : target.startsWith("http") ? undefined : appServerPid(app!.child.pid!);
    const cpuBefore = pid === undefined ? 0 : processCpuMicros(pid);
    const result = await autocannon({ ...request, duration: run.duration });
    const cpuUs = pid === undefined ? Number.NaN : (processCpuMicros(pid) - cpuBefore) / result.requests.total;
    if (result.non2xx) throw new Error(`${target}: ${result.non2xx} non-2xx responses`);
    if (result.errors || result.requests.total === 0)
      throw new Error(`${target}: ${result.errors} errors (${result.timeouts} timeouts), ${result.requests.total} requests`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs };
  };
  const patHeaders = { authorization: `Bearer ${created.token}` };
  await warmUp({ url: `${app!.url}/api/health`, connections: defaultConnections }, SERVER_WARM_UP_SECONDS / 2);
  await warmUp({ url: `${app!.url}/api/v1/me`, connections: defaultConnections, headers: patHeaders }, SERVER_WARM_UP_SECONDS / 2);
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  /*
   * Each target in turn, in 2 s slices, 15 rounds (30 s per target, as 3 rounds of 10 s were): each one's median req/s
   * and median app-server CPU per request (NaN for a target outside Tessera). This machine's speed drifts by a third
   * within minutes: on 2026-12-05, with 10 s runs, one run put a PAT call at 78% of /api/health and one minutes later
   * at 101%. In short slices every target meets the same drift: two runs of 2 s slices gave 88.8% and 89.7%.
   */
  type Figures = { rps: number; cpuUs: number };
  const ROUNDS = 15;
  const SLICE_SECONDS = 2;
  const ALTERNATION = `${ROUNDS} rounds of ${SLICE_SECONDS} s alternating targets, median`;
  const alternating = async <T extends ((run: Run) => Promise<Figures>)[]>(...targets: T): Promise<{ [K in keyof T]: Figures }> => {
    const rounds = targets.map((): Figures[] => []);
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, target] of targets.entries()) rounds[i]!.push(await target({ duration: SLICE_SECONDS, warmUp: round === 0 }));
    return rounds.map((list) => ({ rps: median(list.map((r) => r.rps)), cpuUs: median(list.map((r) => r.cpuUs)) })) as { [K in keyof T]: Figures };
  };
  /** "app CPU 812 µs/req": what one request cost the app server (scripts/bench/app-cpu.ts). */
  const cpu = (figures: { cpuUs: number }) => `app CPU ${figures.cpuUs.toFixed(0)} µs/req`;
  /** The throughput ratio the app server's core allows: one path's CPU per request against another's. */
  const cpuRatio = (path: { cpuUs: number }, reference: { cpuUs: number }) => `${((reference.cpuUs / path.cpuUs) * 100).toFixed(1)}% by app CPU`;
  /*
   * Beside a path's ratio to /api/health: the same ratio for a bare Next route doing the least that call can do (the
   * bare app's proxy or token route against its select 1; scripts/bench/bare-next.ts), and Tessera's path against
   * that bare route. The first says how much of the path's ratio Next allows at all on this machine; the second, how
   * much of the gap is Tessera's own work.
   */
  const printFloorOfPath = (
    path: { label: string; goal: number },
    bareNextFigures: { health: Figures; path: Figures },
    tessera: { health: Figures; path: Figures },
  ) => {
    const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
    const { health: bareHealth, path: barePath } = bareNextFigures;
    console.log(`    bare Next GET /api/select1                  ${bareHealth.rps.toFixed(0)} req/s  server CPU ${bareHealth.cpuUs.toFixed(0)} µs/req`);
    console.log(`    bare Next ${path.label.padEnd(34)}${barePath.rps.toFixed(0)} req/s  server CPU ${barePath.cpuUs.toFixed(0)} µs/req`);
    console.log(
      `    bare Next's own ratio: ${percent(barePath.rps, bareHealth.rps)} (${percent(bareHealth.cpuUs, barePath.cpuUs)} by server CPU), against the goal's ${path.goal}%`,
    );
    console.log(
      `    Tessera / bare Next, this call: ${(tessera.path.rps / barePath.rps).toFixed(2)}× (${(barePath.cpuUs / tessera.path.cpuUs).toFixed(2)}× by server CPU); health: ${(tessera.health.rps / bareHealth.rps).toFixed(2)}×`,
    );
  };
  const issuer = `http://127.0.0.1:${idpPort}`;
  /*
   * The bare Next app (scripts/bench/bare-next.ts), started once when a section first needs it: the framework floor,
   * and beside the proxy and the exchange, the least those calls can cost in Next. Server database only.
   */
  const withFloor = !embeddedMode && !values["skip-floor"];
  const bareNext = async (): Promise<BareNext> => {
    if (bare) return bare;
    const cpuProfDir = values["cpu-prof"] ? path.resolve(values["cpu-prof"]) : undefined;
    bare = await startBareNext({ databaseUrl: url, port: await freePort(), poolMax: 4, upstreamUrl: issuer, cpuProfDir });
    // The same warm-up Tessera's server had, so the floor compares two warmed servers.
    await warmUp({ url: `${bare.url}/api/select1`, connections: defaultConnections }, SERVER_WARM_UP_SECONDS);
    return bare;
  };
  /**
   * With the floor, the bare Next app's `select 1` and its route at `route` (the same call with nothing but Next, pg and
   * undici), for `alternating` after Tessera's health and path; without it, nothing.
   */
  const bareTargets = async (route: string, headers: Record<string, string>, post?: string): Promise<((run: Run) => Promise<Figures>)[]> => {
    if (!withFloor) return [];
    const floor = await bareNext();
    return [
      (run) => measure(`${floor.url}/api/select1`, {}, undefined, undefined, run),
      (run) => measure(`${floor.url}${route}`, headers, post, undefined, run),
    ];
  };
  if (withFloor && runs("floor")) {
    // Issue 26 §5: the framework's floor, same machine, same run, the targets alternating (`alternating`).
    const floor = await bareNext();
    console.log(`\nFramework floor: Tessera vs a bare Next ${nextVersion} route handler running \`select 1\` on the same database`);
    console.log(`  (after a warm-up, ${ALTERNATION}; ${databaseLabel})`);
    for (const connections of [1, 10]) {
      const [bareFigures, healthFigures, patFigures] = await alternating(
        (run) => measure(`${floor.url}/api/select1`, {}, undefined, connections, run),
        (run) => measure("/api/health", {}, undefined, connections, run),
        (run) => measure("/api/v1/me", patHeaders, undefined, connections, run),
      );
      const { rps: bareRps } = bareFigures;
      const { rps: healthRps } = healthFigures;
      const { rps: patRps } = patFigures;
      console.log(`  ${connections} connection${connections === 1 ? "" : "s"}:`);
      console.log(`    bare Next GET /api/select1   ${bareRps.toFixed(0)} req/s  server CPU ${bareFigures.cpuUs.toFixed(0)} µs/req`);
      console.log(
        `    GET /api/health              ${healthRps.toFixed(0)} req/s  ${(healthRps / bareRps).toFixed(2)}× bare (goal ≥ 0.9×)  ${cpu(healthFigures)}`,
      );
      console.log(`    GET /api/v1/me (PAT)         ${patRps.toFixed(0)} req/s  ${(patRps / bareRps).toFixed(2)}× bare (goal ≥ 0.9×)  ${cpu(patFigures)}`);
      // The same medians give the PAT call against /api/health, alternating (the PAT section's own figure is one run each).
      console.log(`    PAT / health                 ${((patRps / healthRps) * 100).toFixed(1)}% (goal ≥ 95%); ${cpuRatio(patFigures, healthFigures)}`);
    }
  }
  const health = await measure("/api/health");
  console.log(`\nPAT verification (${values.connections} connections, ${values.duration} s each after a warm-up, production build, ${databaseLabel})`);
  console.log(`  GET /api/health   ${health.rps.toFixed(0)} req/s  p50 ${health.p50} ms  p99 ${health.p99} ms  ${cpu(health)}`);
  if (runs("pat")) {
    const me = await measure("/api/v1/me", patHeaders);
    console.log(`  GET /api/v1/me    ${me.rps.toFixed(0)} req/s  p50 ${me.p50} ms  p99 ${me.p99} ms  ${cpu(me)}`);
    console.log(`  authenticated / unauthenticated throughput: ${((me.rps / health.rps) * 100).toFixed(1)}%; ${cpuRatio(me, health)}`);
  }

  // The provider API proxy: a person's real demo-IdP token for Google, a service with proxy:google allowed /me.
  const google = await obtainTokensByCodeFlow({
    issuer,
    clientId: DEMO_CLIENT_IDS.google,
    clientSecret: idpSecret,
    redirectUri: `http://127.0.0.1:${port}/api/auth/callback/google`,
    login: "bench",
  });
  await storeSignInTokens(user.id, "google", {
    accessToken: google.access_token,
    refreshToken: google.refresh_token,
    expiresAt: new Date(Date.now() + google.expires_in * 1000),
    scopes: google.scope?.split(" "),
  });
  const proxyClient = await createServiceClient(
    { name: "bench-proxy", permissions: ["proxy:google"], proxyAllow: ["google:/me"], rateLimitPerMinute: 1_000_000 },
    { type: "admin", id: user.id },
    null,
  );
  if (!proxyClient.ok) throw new Error(proxyClient.message);
  const serviceToken = (await issueServiceToken(proxyClient.view.id, ["proxy:google"])).token;
  const probe = await fetch(`${issuer}/demo-api/google/me`, { headers: { authorization: `Bearer ${google.access_token}` } }).catch((error: unknown) => {
    throw new Error(`the demo API at ${issuer} is unreachable (${String(error)}); app output:\n${app!.output().slice(-3000)}`);
  });
  if (probe.status !== 200) throw new Error(`the demo API answered ${probe.status}: ${await probe.text()}`);
  await probe.text();
  const proxyHeaders = { authorization: `Bearer ${serviceToken}`, "tessera-on-behalf-of": user.id, "tessera-purpose": "bench" };
  // 0 ms: the demo API is an in-memory handler, so this measures Tessera's whole per-call cost against almost nothing.
  // 100 ms: a provider-like latency (the demo API's ?delay_ms), closer to what a service would see.
  if (runs("proxy")) {
    console.log(
      `\nProvider API proxy (demo API on loopback, in npm start's own process beside the app server, on the same cores; ${values.connections} connections, ${values.duration} s each after a warm-up)`,
    );
    // 0 ms: Tessera's whole per-call cost, next to /api/health (issue 26's goal ≥ 70%), alternating; with the floor,
    // the bare Next app's select 1 and its proxy route too (the same call with nothing but Next, pg and undici).
    const [healthFigures, proxiedFigures, bareFigures, bareProxyFigures] = await alternating(
      (run) => measure("/api/health", {}, undefined, undefined, run),
      (run) => measure("/api/proxy/google/me", proxyHeaders, undefined, undefined, run),
      ...(await bareTargets("/api/proxy/google/me", { authorization: `Bearer ${google.access_token}` })),
    );
    const { rps: healthRps } = healthFigures;
    const { rps: proxiedRps } = proxiedFigures;
    console.log(`  provider latency 0 ms (with /api/health, ${ALTERNATION}):`);
    console.log(`    GET /api/health                             ${healthRps.toFixed(0)} req/s  ${cpu(healthFigures)}`);
    console.log(`    GET /api/proxy/google/me (proxied)          ${proxiedRps.toFixed(0)} req/s  ${cpu(proxiedFigures)}`);
    console.log(`    proxied / health throughput: ${((proxiedRps / healthRps) * 100).toFixed(1)}% (goal ≥ 70%); ${cpuRatio(proxiedFigures, healthFigures)}`);
    if (bareFigures && bareProxyFigures) {
      printFloorOfPath(
        { label: "GET /api/proxy/google/me", goal: 70 },
        { health: bareFigures, path: bareProxyFigures },
        { health: healthFigures, path: proxiedFigures },
      );
    }
    // 100 ms: a provider-like latency (the demo API's ?delay_ms), against the same call made directly.
    const direct = await measure(`${issuer}/demo-api/google/me?delay_ms=100`, { authorization: `Bearer ${google.access_token}` });
    const proxied = await measure(`/api/proxy/google/me?delay_ms=100`, proxyHeaders);
    console.log(`  provider latency 100 ms:`);
    console.log(`    GET <demo IdP>/demo-api/google/me (direct)  ${direct.rps.toFixed(0)} req/s  p50 ${direct.p50} ms  p99 ${direct.p99} ms`);
    console.log(`    GET /api/proxy/google/me (proxied)          ${proxied.rps.toFixed(0)} req/s  p50 ${proxied.p50} ms  p99 ${proxied.p99} ms`);
    console.log(`    proxied / direct throughput: ${((proxied.rps / direct.rps) * 100).toFixed(1)}% (goal ≥ 90%)`);
  }
  // Issue 24: the same provider call as an MCP client's call_provider_api tool call (a token for /mcp), against /api/proxy.
  const mcpApp = await createApplication(
    user.id,
    createApplicationSchema.parse({ name: "bench assistant", redirectUris: ["https://bench.example/cb"], confidential: false }),
    null,
  );
  if (!mcpApp.ok) throw new Error(mcpApp.message);
  const mcpVerifier = randomBytes(32).toString("base64url");
  const mcpAuthorization = await validateAuthorizationRequest(
    {
      client_id: mcpApp.view.clientId,
      redirect_uri: "https://bench.example/cb",
      response_type: "code",
      scope: "provider:google:read",
      code_challenge: s256(mcpVerifier),
      code_challenge_method: "S256",
      resource: `${app!.url}/mcp`,
    },
    app!.url,
  );
  if (!mcpAuthorization.ok) throw new Error("MCP authorization request refused");
  const mcpCode = await issueAuthorizationCode(user.id, mcpAuthorization.request, { consented: true, ip: null });
  const mcpRedeemed = await fetch(`${app!.url}/api/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: mcpCode!,
      redirect_uri: "https://bench.example/cb",
      code_verifier: mcpVerifier,
      client_id: mcpApp.view.clientId,
      resource: `${app!.url}/mcp`,
    }),
  });
  const mcpToken = ((await mcpRedeemed.json()) as { access_token?: string }).access_token;
  if (!mcpToken) throw new Error(`no MCP access token: HTTP ${mcpRedeemed.status}`);
  const mcpHeaders = { authorization: `Bearer ${mcpToken}`, "content-type": "application/json", accept: "application/json, text/event-stream" };
  const toolCall = (delay: number) =>
    JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "call_provider_api", arguments: { provider: "google", method: "GET", path: "/me", ...(delay ? { query: { delay_ms: delay } } : {}) } },
    });
  // A tool error is an HTTP 200 too: check once that the call really reaches the provider before measuring it.
  const mcpProbe = (await (await fetch(`${app!.url}/mcp`, { method: "POST", headers: mcpHeaders, body: toolCall(0) })).json()) as {
    result?: { isError?: boolean; structuredContent?: { status?: number } };
  };
  if (mcpProbe.result?.isError || mcpProbe.result?.structuredContent?.status !== 200) throw new Error(`the MCP tool call failed: ${JSON.stringify(mcpProbe)}`);
  if (runs("mcp")) {
    console.log(`\nMCP call_provider_api vs the same call through /api/proxy (${values.connections} connections)`);
    for (const delay of [0, 100]) {
      const query = delay ? `?delay_ms=${delay}` : "";
      const proxied = await measure(`/api/proxy/google/me${query}`, proxyHeaders);
      const viaMcp = await measure("/mcp", mcpHeaders, toolCall(delay));
      // Tool errors are HTTP 200 too (a rate limit, say): the measured calls must have been real provider calls.
      const after = (await (await fetch(`${app!.url}/mcp`, { method: "POST", headers: mcpHeaders, body: toolCall(delay) })).json()) as typeof mcpProbe;
      if (after.result?.isError || after.result?.structuredContent?.status !== 200)
        throw new Error(`MCP calls failed while measured: ${JSON.stringify(after)}`);
      console.log(`  provider latency ${delay} ms:`);
      console.log(`    GET /api/proxy/google/me                     ${proxied.rps.toFixed(0)} req/s  p50 ${proxied.p50} ms  p99 ${proxied.p99} ms`);
      console.log(`    POST /mcp tools/call call_provider_api       ${viaMcp.rps.toFixed(0)} req/s  p50 ${viaMcp.p50} ms  p99 ${viaMcp.p99} ms`);
      console.log(`    MCP / proxy throughput: ${((viaMcp.rps / proxied.rps) * 100).toFixed(1)}% (goal ≥ 80%)`);
    }
  }

  if (runs("app-token")) {
    // The same call with a third-party application's access token (tsr_oat_…, issue 12): the other branch of verifyToken.
    const benchApp = await createApplication(
      user.id,
      createApplicationSchema.parse({ name: "bench app", redirectUris: ["https://bench.example/cb"], confidential: false }),
      null,
    );
    if (!benchApp.ok) throw new Error(benchApp.message);
    const verifier = randomBytes(32).toString("base64url");
    const authorization = await validateAuthorizationRequest({
      client_id: benchApp.view.clientId,
      redirect_uri: "https://bench.example/cb",
      response_type: "code",
      scope: "profile:read",
      code_challenge: s256(verifier),
      code_challenge_method: "S256",
    });
    if (!authorization.ok) throw new Error("authorization request refused");
    const code = await issueAuthorizationCode(user.id, authorization.request, { consented: true, ip: null });
    const redeemed = await fetch(`${app!.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: "https://bench.example/cb",
        code_verifier: verifier,
        client_id: benchApp.view.clientId,
      }),
    });
    const appToken = ((await redeemed.json()) as { access_token: string }).access_token;
    const meApp = await measure("/api/v1/me", { authorization: `Bearer ${appToken}` });
    console.log(`\nThird-party application's access token (${values.connections} connections, ${values.duration} s after a warm-up)`);
    console.log(
      `  GET /api/v1/me (app token)  ${meApp.rps.toFixed(0)} req/s  p50 ${meApp.p50} ms  p99 ${meApp.p99} ms  (${((meApp.rps / health.rps) * 100).toFixed(1)}% of /api/health)`,
    );
  }

  if (runs("exchange")) {
    // A service exchanging for a user's GitHub token (does not expire: no refresh, as in steady state).
    await storeSignInTokens(user.id, "github", { accessToken: `bench-github-${randomBytes(8).toString("hex")}` });
    const service = await createServiceClient(
      { name: "bench", permissions: ["credentials:github:read"], rateLimitPerMinute: 100_000 },
      { type: "admin", id: user.id },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const form = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: user.id,
      subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
      requested_token_type: "urn:tessera:params:oauth:token-type:provider-access-token",
      audience: "github",
      purpose: "bench",
    }).toString();
    const basic = `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}`;
    const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
    // With the floor, the bare Next app's select 1 and its token route too (a form body read, select 1, a JSON answer).
    const [healthFigures, exchangeFigures, bareFigures, bareTokenFigures] = await alternating(
      (run) => measure("/api/health", {}, undefined, undefined, run),
      (run) => measure("/api/oauth/token", { authorization: basic, ...formHeaders }, form, undefined, run),
      ...(await bareTargets("/api/token", formHeaders, form)),
    );
    const { rps: healthRps } = healthFigures;
    const { rps: exchangeRps } = exchangeFigures;
    console.log(`\nToken exchange (RFC 8693), no refresh due (${values.connections} connections)`);
    console.log(`  with /api/health, ${ALTERNATION}: health ${healthRps.toFixed(0)} req/s  ${cpu(healthFigures)}`);
    console.log(`  POST /api/oauth/token (exchange)  ${exchangeRps.toFixed(0)} req/s  ${cpu(exchangeFigures)}`);
    console.log(
      `  exchange / unauthenticated throughput: ${((exchangeRps / healthRps) * 100).toFixed(1)}% (goal ≥ 80%); ${cpuRatio(exchangeFigures, healthFigures)}`,
    );
    if (bareFigures && bareTokenFigures) {
      printFloorOfPath(
        { label: "POST /api/token", goal: 80 },
        { health: bareFigures, path: bareTokenFigures },
        { health: healthFigures, path: exchangeFigures },
      );
    }
  }

  if (!values["skip-admin"] && !embeddedMode && !values["admin-database"] && runs("admin")) {
    const seeded = await seedDemoData({
      users: Number(values.users),
      databaseUrl: url,
      tokenKeys: secrets.TOKEN_ENCRYPTION_KEYS,
      log: (line) => console.log(`  seeding ${line}`),
    });
    console.log(
      `\nSeeded ${seeded.users} users, ${seeded.accounts} accounts, ${seeded.providerTokens} provider tokens, ${seeded.pats} PATs in ${(seeded.ms / 1000).toFixed(1)} s`,
    );
    await timeAdminPages({ appUrl: app!.url, databaseUrl: url, log: console.log });
  }
} finally {
  await bare?.stop();
  if (app) {
    app.child.kill("SIGTERM");
    await app.exited;
  }
  await closeDatabase();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  await embedded?.stop();
  if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
}
