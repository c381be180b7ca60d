import pg from "pg";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as meRoutes from "@/app/api/v1/me/route";
import { resetAuthFailureLimiter } from "@/lib/rate-limit/auth-failure-limiter";
import { getDb, getPool } from "@/lib/db/client";
import { generatePatSecret } from "@/lib/pat/format";
import { callRoute, createTokenAsUser, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase, serverUrl } from "../helpers/test-database";

afterEach(() => vi.restoreAllMocks());

describeOnEachDatabase("one database handle per process", (current) => {
  let token = "";

  beforeAll(async () => {
    resetAuthFailureLimiter();
    const user = await createUser();
    const created = await createTokenAsUser(user, { name: "pool", scopes: ["profile:read"], expiresInDays: 1 });
    if (!created.ok) throw new Error(created.message);
    token = created.token;
  });

  it("never holds more than DATABASE_POOL_MAX connections while Prisma, the PAT lookup and the failure limiter all work at once", async () => {
    const { kind, poolMax } = current();
    // PostgreSQL: count the server's backends on this database; a second client for that, opened
    // before the spy so it is not counted.
    const database = new URL(current().url).pathname.slice(1);
    const observer = kind === "postgres" ? new pg.Client({ connectionString: serverUrl }) : undefined;
    await observer?.connect();
    const backends = async () =>
      (await observer!.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [database])).rows[0]!.n;
    const poolClients = () => (getPool() as unknown as { _clients: pg.Client[] })._clients.length;
    // Baseline from this run: a backend whose client has gone (the migrations' pool, a replaced handle) stays
    // listed until its process exits, which on a loaded machine takes a moment. Wait until the server lists
    // only the pool's own connections; 15 s is room for a busy machine, a leak stays and fails here.
    if (observer) {
      const settleBy = Date.now() + 15_000;
      while ((await backends()) !== poolClients()) {
        if (Date.now() > settleBy) throw new Error(`the server lists ${await backends()} backends on this database, the pool holds ${poolClients()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    let peakBackends = 0;
    let observing = Boolean(observer);
    const watch = (async () => {
      while (observing) {
        peakBackends = Math.max(peakBackends, await backends());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Both databases: every connection the process opens goes through pg.Client#connect; count the
    // ones open at the same time (the pool's clients so far, plus each new one until it ends).
    const live = new Set<pg.Client>((getPool() as unknown as { _clients: pg.Client[] })._clients);
    let peakClients = live.size;
    const connect = pg.Client.prototype.connect as unknown as (...args: unknown[]) => Promise<void>;
    vi.spyOn(pg.Client.prototype, "connect").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      live.add(this);
      this.once("end", () => live.delete(this));
      // A client the pool has let go of (end() called, socket closing) no longer counts.
      const open = [...live].filter((client) => !(client as unknown as { _ending: boolean })._ending);
      peakClients = Math.max(peakClients, open.length);
      return connect.apply(this, args);
    } as unknown as typeof pg.Client.prototype.connect);
    const work = [
      // Prisma: interactive transactions that each hold a connection for a while. They queue behind 24 other calls
      // for a few connections: Prisma's 2 s wait for a connection (maxWait) ran out at a load average of 13 on
      // 2 cores; this test counts connections, so a wait of up to 20 s is fine (a stall still fails, before the 30 s test limit).
      ...Array.from({ length: 4 }, () =>
        getDb().$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(0.2)::text AS slept`, { maxWait: 20_000, timeout: 20_000 }),
      ),
      // The PAT lookup (plain SQL) on every authenticated call.
      ...Array.from({ length: 12 }, () =>
        callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}` } }).then((r) => expect(r.status).toBe(200)),
      ),
      // The failure limiter's store.
      ...Array.from({ length: 12 }, () =>
        callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${generatePatSecret()}`, "x-forwarded-for": "198.51.100.44" } }).then(
          (r) => expect(r.status).toBe(401),
        ),
      ),
    ];
    await Promise.all(work);
    observing = false;
    await watch;
    // One sample after the work: the pool keeps its connections open (idle) a while, so a loaded machine whose
    // polling missed the busiest moment still sees them.
    if (observer) peakBackends = Math.max(peakBackends, await backends());
    await observer?.end();

    // Mutation check: giving verify-token.ts (or the limiter) its own pg.Pool again, as before
    // (lib/db/sql-pool.ts), makes this fail: that pool opens connections of its own.
    expect(peakClients).toBeLessThanOrEqual(poolMax);
    expect(peakClients).toBeGreaterThan(1); // the work did need several connections at once
    if (kind === "postgres") {
      expect(peakBackends).toBeGreaterThan(1);
      expect(peakBackends).toBeLessThanOrEqual(poolMax);
    }
  });
});
