import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import { authenticateAndCountServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { consumeServiceRateLimit, RATE_LIMIT_WINDOW_SECONDS } from "@/lib/rate-limit/consume-client-rate-limit";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { generateClientSecret } from "@/lib/service-clients/service-secrets";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The per-client rate limit is one count shared by every instance (the "RateLimit" table), not one per process.
 * Mutation checks (made once, saw red, restored): in lib/rate-limit/consume-client-rate-limit.ts the
 * `ELSE "RateLimit".points + 1` branch changed to `ELSE 1` (no accumulation) → both processes get all 15 calls;
 * in lib/service-clients/authenticate-service-client.ts `WHERE matched AND $4::boolean` changed to `WHERE $4::boolean`
 * → a wrong secret used up the client's limit.
 */
describeOnEachDatabase("service client rate limit", (current) => {
  type Report = { allowed: number; refused: number; retryAfter: number };

  async function serviceClient(rateLimitPerMinute: number) {
    const created = await createServiceClient(
      { name: `rate-${Math.random()}`, permissions: ["credentials:github:read"], rateLimitPerMinute },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, secret: created.clientSecret };
  }

  function worker(client: { clientId: string; secret: string }, calls: number) {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/helpers/rate-limit-worker.ts"], {
      env: { ...process.env, WORKER_DATABASE_URL: current().url, CLIENT_ID: client.clientId, CLIENT_SECRET: client.secret, CALLS: String(calls) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let markReady: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => {
      err += chunk;
      if (err.includes("ready\n")) markReady();
    });
    const report = new Promise<Report>((resolve, reject) =>
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Report) : reject(new Error(`worker failed: ${err}`)))),
    );
    return { child, ready, report };
  }

  it("two processes share one count: together they get exactly the limit, then Retry-After", async () => {
    const client = await serviceClient(20);
    const workers = [worker(client, 15), worker(client, 15)];
    let reports: Report[];
    try {
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin.end("go\n");
      reports = await Promise.all(workers.map((w) => w.report));
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
    }
    expect(reports.reduce((sum, r) => sum + r.allowed, 0)).toBe(20);
    expect(reports.reduce((sum, r) => sum + r.refused, 0)).toBe(10);
    for (const r of reports) expect(r.retryAfter).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_SECONDS);
    // And this process, a third instance, is refused too.
    expect((await authenticateAndCountServiceClient(client.clientId, client.secret))!.retryAfterSeconds).toBeGreaterThan(0);
    expect(await consumeServiceRateLimit(client.id, 20)).toBeGreaterThan(0);
  });

  it("a wrong secret uses up nothing of the client's limit", async () => {
    const client = await serviceClient(2);
    for (let i = 0; i < 5; i++) expect(await authenticateAndCountServiceClient(client.clientId, generateClientSecret())).toBeNull();
    expect((await authenticateAndCountServiceClient(client.clientId, client.secret))!.retryAfterSeconds).toBe(0);
    expect((await authenticateAndCountServiceClient(client.clientId, client.secret))!.retryAfterSeconds).toBe(0);
    expect((await authenticateAndCountServiceClient(client.clientId, client.secret))!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("a new window starts when the old one has ended", async () => {
    const serviceId = `svc-${Math.random()}`;
    const start = Date.now();
    expect(await consumeServiceRateLimit(serviceId, 1, start)).toBe(0);
    expect(await consumeServiceRateLimit(serviceId, 1, start + 1000)).toBe(RATE_LIMIT_WINDOW_SECONDS - 1);
    expect(await consumeServiceRateLimit(serviceId, 1, start + RATE_LIMIT_WINDOW_SECONDS * 1000)).toBe(0);
  });
});
