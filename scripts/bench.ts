/*
 * npm run bench — figures for the notes, not a test.
 *   1. PAT verification cost: autocannon against a production build on real PostgreSQL,
 *      GET /api/health (no auth) vs GET /api/v1/me with a PAT, same connections and duration.
 *      Also the token exchange (POST /api/oauth/token, RFC 8693, no refresh due) next to /api/health (goal ≥ 0.7×).
 *   2. Admin dashboard at scale: seeds --users (default 100000) and times /admin, /admin/users and a
 *      user's security tab over HTTP (median of several runs).
 * Uses BENCH_DATABASE_URL or TEST_DATABASE_URL (a server; a fresh database is created and dropped).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { hashSessionToken } from "../lib/auth/hash-session-token";
import { generateKeyringEntry } from "../lib/crypto";
import { closeDatabase, connectDatabase } from "../lib/db/client";
import { applyMigrations } from "../lib/db/migrate";
import { createToken } from "../lib/pat/create-token";
import { storeSignInTokens } from "../lib/provider-tokens/store-sign-in-tokens";
import { isBuildCurrent } from "../lib/runtime/build-fingerprint";
import { createServiceClient } from "../lib/services/create-service-client";
import { seedDemoData } from "../lib/seed/seed-demo-data";
import { freePort, spawnStart, waitForHealthy } from "../tests/helpers/spawn-start";

const { values } = parseArgs({
  options: { users: { type: "string", default: "100000" }, duration: { type: "string", default: "10" }, connections: { type: "string", default: "10" }, "skip-admin": { type: "boolean", default: false } },
});
const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const name = `tessera_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), TOKEN_ENCRYPTION_KEYS: generateKeyringEntry(), PAT_HASH_PEPPER: randomBytes(32).toString("base64url") };
Object.assign(process.env, secrets);

let app: ReturnType<typeof spawnStart> | undefined;
try {
  if (!isBuildCurrent()) throw new Error("no current production build: run `npm run build` first");
  await applyMigrations(url);
  const { db } = await connectDatabase(url, { poolMax: 4 });
  const port = await freePort();
  app = spawnStart({ ...secrets, DATABASE_URL: url, LOG_LEVEL: "warn", DEMO_IDP_PORT: "0", TESSERA_DEMO: "1" }, port);
  await waitForHealthy(app);

  const user = await db.user.create({ data: { email: "bench@example.com", name: "Bench", role: "ADMIN" } });
  // createToken re-checks the credential that asked for it: a session, as the browser would have.
  const benchSession = randomBytes(32).toString("hex");
  await db.session.create({ data: { sessionToken: hashSessionToken(benchSession), userId: user.id, expires: new Date(Date.now() + 3600_000) } });
  const created = await createToken(user, { name: "bench", scopes: ["profile:read"], expiresInDays: 1, selfDescribing: false }, { ip: null, credential: { sessionToken: benchSession } });
  if (!created.ok) throw new Error(created.message);

  const measure = async (path: string, headers: Record<string, string> = {}, post?: string) => {
    const result = await autocannon({
      url: `${app!.url}${path}`,
      connections: Number(values.connections),
      duration: Number(values.duration),
      headers,
      ...(post ? { method: "POST" as const, body: post } : {}),
    });
    if (result.non2xx) throw new Error(`${path}: ${result.non2xx} non-2xx responses`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  };
  await measure("/api/health"); // warm-up
  const health = await measure("/api/health");
  const me = await measure("/api/v1/me", { authorization: `Bearer ${created.token}` });
  console.log(`\nPAT verification (${values.connections} connections, ${values.duration} s each, production build, PostgreSQL)`);
  console.log(`  GET /api/health   ${health.rps.toFixed(0)} req/s  p50 ${health.p50} ms  p99 ${health.p99} ms`);
  console.log(`  GET /api/v1/me    ${me.rps.toFixed(0)} req/s  p50 ${me.p50} ms  p99 ${me.p99} ms`);
  console.log(`  authenticated / unauthenticated throughput: ${((me.rps / health.rps) * 100).toFixed(1)}%`);

  // A service exchanging for a user's GitHub token (does not expire: no refresh, as in steady state).
  await storeSignInTokens(user.id, "github", { accessToken: `bench-github-${randomBytes(8).toString("hex")}` });
  const service = await createServiceClient({ name: "bench", permissions: ["credentials:github:read"], rateLimitPerMinute: 100_000 }, { type: "admin", id: user.id }, null);
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
  const exchange = await measure("/api/oauth/token", { authorization: basic, "content-type": "application/x-www-form-urlencoded" }, form);
  console.log(`  POST /api/oauth/token (exchange)  ${exchange.rps.toFixed(0)} req/s  p50 ${exchange.p50} ms  p99 ${exchange.p99} ms`);
  console.log(`  exchange / unauthenticated throughput: ${((exchange.rps / health.rps) * 100).toFixed(1)}% (goal ≥ 70%)`);

  if (!values["skip-admin"]) {
    const seeded = await seedDemoData({ users: Number(values.users), databaseUrl: url, tokenKeys: secrets.TOKEN_ENCRYPTION_KEYS });
    console.log(`\nSeeded ${seeded.users} users, ${seeded.accounts} accounts, ${seeded.providerTokens} provider tokens, ${seeded.pats} PATs in ${(seeded.ms / 1000).toFixed(1)} s`);
    const sessionToken = randomBytes(32).toString("hex");
    await db.session.create({ data: { sessionToken: hashSessionToken(sessionToken), userId: user.id, expires: new Date(Date.now() + 3600_000) } });
    const target = await db.user.findFirstOrThrow({ where: { providerConnections: { some: {} }, personalAccessTokens: { some: {} } }, orderBy: { createdAt: "asc" } });
    const time = async (path: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 8; i++) {
        const started = performance.now();
        const response = await fetch(`${app!.url}${path}`, { headers: { cookie: `authjs.session-token=${sessionToken}` } });
        await response.text();
        if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
        if (i > 0) runs.push(performance.now() - started); // the first run warms caches
      }
      runs.sort((a, b) => a - b);
      return runs[Math.floor(runs.length / 2)]!;
    };
    console.log(`\nAdmin pages at ${seeded.users} users (median of 7, server render + loopback transfer)`);
    for (const path of ["/admin", "/admin/users", "/admin/users?sort=last_sign_in", "/admin/users?q=user4242", `/admin/users/${target.id}`, "/admin/audit"]) {
      console.log(`  ${path.padEnd(40)} ${(await time(path)).toFixed(0)} ms`);
    }
  }
  await closeDatabase();
} finally {
  if (app) {
    app.child.kill("SIGTERM");
    await app.exited;
  }
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
