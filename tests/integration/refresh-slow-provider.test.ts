import { afterAll, beforeAll, expect, it } from "vitest";
import * as healthRoute from "@/app/api/health/route";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { connectDatabase } from "@/lib/db/client";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { flushTokenUse } from "@/lib/pat/record-token-use";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { describeOnEachDatabase } from "../helpers/test-database";

const demoIdp = startDemoIdpForFile();
const PROVIDER_DELAY_MS = 5000;
/*
 * What "stalled" means here: a call that waits for a connection or the embedded database's single session
 * held by a refresh waits for the provider, 5 s. Half of that separates a stall from a slow machine (at a load
 * average of 10 on 2 cores these calls took up to ~1 s); speed itself is measured by `npm run bench`.
 */
const STALL_MS = PROVIDER_DELAY_MS / 2;

async function until(condition: () => boolean, deadlineMs: number, what: string) {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/*
 * A slow provider must not slow anyone else down: no database connection (and, on the embedded
 * database, no transaction on its single session) may be held while the token endpoint is called.
 * The app's pool is as small as in production: 1 on the embedded database (scripts/start.ts sets
 * DATABASE_POOL_MAX=1), and on PostgreSQL as many connections as refreshes in flight, so that one
 * held connection per refresh would exhaust it.
 */
describeOnEachDatabase("a slow provider does not stall the app", (current) => {
  const savedPoolMax = process.env.DATABASE_POOL_MAX;
  const poolMax = () => (current().kind === "embedded" ? 1 : 3);

  beforeAll(async () => {
    process.env.DATABASE_POOL_MAX = String(poolMax());
    // The app's one handle, as small as in production.
    await connectDatabase(current().url, { poolMax: poolMax() });
  });
  afterAll(async () => {
    await flushTokenUse();
    await connectDatabase(current().url, { poolMax: current().poolMax });
    if (savedPoolMax === undefined) delete process.env.DATABASE_POOL_MAX;
    else process.env.DATABASE_POOL_MAX = savedPoolMax;
    demoIdp().faults.tokenDelayMs = 0;
  });

  it("health, a PAT call and a PAT creation answer while refreshes wait 5 s on the provider, none waiting for them", async () => {
    const refreshing = await Promise.all(Array.from({ length: poolMax() }, () => connectedUser(demoIdp(), "google", { expired: true })));
    const owner = await createUser();
    const cookie = await createSessionCookie(owner.id);
    const created = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(cookie),
      body: { name: "warm-up", scopes: ["profile:read"], expiresInDays: 1 },
    });
    expect(created.status, created.text).toBe(201);
    const pat = created.json().token as string;
    const bearer = { authorization: `Bearer ${pat}`, "x-forwarded-for": "198.51.100.20" };
    // Warm every path once (module loading, first connection) before measuring.
    expect((await callRoute(healthRoute.GET, { path: "/api/health" })).status).toBe(200);
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer })).status).toBe(200);

    demoIdp().faults.tokenDelayMs = PROVIDER_DELAY_MS;
    const requestsBefore = demoIdp().counters.tokenRequests;
    let settled = false;
    const refreshes = Promise.allSettled(refreshing.map(({ user }) => getFreshAccessToken(user.id, "google"))).finally(() => (settled = true));
    // In flight: every refresh has reached the token endpoint and is waiting there.
    await until(() => demoIdp().counters.tokenRequests >= requestsBefore + refreshing.length, 3000, "the refreshes to reach the provider");

    // Three rounds, every one of which must have run while the refreshes were still at the provider.
    // Mutation check: running refreshUnderLease's provider call (lib/provider-tokens/get-fresh-access-token.ts,
    // "No transaction and no connection held here") inside getDb().$transaction makes these calls wait ~5 s: red.
    const rounds: Record<"health" | "me" | "create", number>[] = [];
    for (let round = 0; round < 3; round++) {
      const health = await timed(() => callRoute(healthRoute.GET, { path: "/api/health" }));
      const me = await timed(() => callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer }));
      const create = await timed(() =>
        callRoute(tokenRoutes.POST, {
          method: "POST",
          path: "/api/tokens",
          headers: sameOrigin(cookie),
          body: { name: `during-refresh-${round}`, scopes: ["profile:read"], expiresInDays: 1 },
        }),
      );
      expect(health.value.status).toBe(200);
      expect(me.value.status).toBe(200);
      expect(create.value.status, create.value.text).toBe(201);
      rounds.push({ health: Math.round(health.ms), me: Math.round(me.ms), create: Math.round(create.ms) });
    }
    console.log(`during a 5 s refresh (${current().kind}, pool ${poolMax()}): ${JSON.stringify(rounds)} ms`);
    for (const kind of ["health", "me", "create"] as const) {
      for (const round of rounds) expect(round[kind], `${kind} waited on the provider`).toBeLessThan(STALL_MS);
    }
    expect(settled, "the refreshes were still waiting on the provider while the calls ran").toBe(false);

    const outcomes = await refreshes;
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: "fulfilled", value: { refreshed: true } });
  }, 30_000);
});
