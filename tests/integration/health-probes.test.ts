import { afterEach, expect, it } from "vitest";
import * as liveRoute from "@/app/api/health/live/route";
import * as readyRoute from "@/app/api/health/ready/route";
import { connectDatabase } from "@/lib/db/client";
import { registerReadinessCheck } from "@/lib/runtime/process-lifecycle";
import { callRoute } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

const live = () => callRoute(liveRoute.GET, { path: "/api/health/live" });
const ready = () => callRoute(readyRoute.GET, { path: "/api/health/ready" });

// The lifecycle state lives on globalThis (shared by the app server and Next's bundle): reset it per test.
afterEach(() => void ((globalThis as { tesseraLifecycle?: unknown }).tesseraLifecycle = undefined));

describeOnEachDatabase("GET /api/health/live and /api/health/ready", (database) => {
  it("live answers 200 and ready answers 200 on a migrated, reachable database", async () => {
    expect((await live()).status).toBe(200);
    const response = await ready();
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ status: "ready" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("ready answers 503 and names the migration when one is not applied", async () => {
    const db = database().db;
    const [last] = await db.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
    await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ${last!.migration_name}`;
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(response.json()).toEqual({ status: "not_ready", reason: expect.stringContaining(last!.migration_name) });
    } finally {
      await db.$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${last!.migration_name}`;
    }
    expect((await ready()).status).toBe(200);
  });

  it("ready answers 503 while the process drains for a shutdown, and when a registered check (job workers) fails", async () => {
    registerReadinessCheck("workers", () => "job workers are not running");
    expect((await ready()).json()).toEqual({ status: "not_ready", reason: "job workers are not running" });
    (globalThis as { tesseraLifecycle?: { shuttingDown: boolean } }).tesseraLifecycle!.shuttingDown = true;
    expect((await ready()).json()).toEqual({ status: "not_ready", reason: "shutting down" });
    expect((await live()).status).toBe(200);
  });

  it("ready answers 503 when the database is unreachable; live still answers 200", async () => {
    await connectDatabase("postgresql://postgres@127.0.0.1:1/nowhere", { poolMax: 1 });
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(response.json()).toEqual({ status: "not_ready", reason: "database unreachable" });
      expect((await live()).status).toBe(200);
    } finally {
      await connectDatabase(database().url, { poolMax: database().poolMax });
    }
  });
});
