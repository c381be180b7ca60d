import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as meRoutes from "@/app/api/v1/me/route";
import { MAX_FAILURES, resetAuthFailureLimiter } from "@/lib/rate-limit/auth-failure-limiter";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { generatePatSecret } from "@/lib/pat/format";
import { callRoute } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

const bearer = (token: string, ip: string) => ({ authorization: `Bearer ${token}`, "x-forwarded-for": ip });

async function storedFailures(ip: string): Promise<number | null> {
  const rows = await getDb().$queryRaw<{ points: number }[]>`SELECT points FROM "RateLimit" WHERE key = ${`auth-fail:${ip}`}`;
  return rows[0]?.points ?? null;
}

afterEach(() => vi.restoreAllMocks());

describeOnEachDatabase("the PAT failure limiter's database store", () => {
  beforeAll(() => resetAuthFailureLimiter());

  it("counts failures that reached the database in the RateLimit table (shared by every instance), never silently in memory", async () => {
    const error = vi.spyOn(logger, "error");
    const ip = "192.0.2.77";
    const fail = () => callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(generatePatSecret(), ip) });
    // Concurrent failures make the pool open several connections: before, each new connection
    // re-prepared rate-limiter-flexible's NAMED statements, which collide (42P05) on the embedded
    // database's single shared session, and those counts went to its in-memory insurance limiter.
    for (const batch of [1, 2]) {
      const statuses = await Promise.all(Array.from({ length: 8 }, () => fail().then((r) => r.status)));
      expect(statuses).toEqual(Array(8).fill(401));
      expect(await storedFailures(ip)).toBe(8 * batch);
    }
    expect(error).not.toHaveBeenCalled();
  });

  it("blocks from the stored count: a second instance (fresh memory) sees the failures of the first", async () => {
    const ip = "192.0.2.78";
    for (let i = 0; i < MAX_FAILURES; i++) await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(generatePatSecret(), ip) });
    expect(await storedFailures(ip)).toBe(MAX_FAILURES);
    resetAuthFailureLimiter(); // another instance: nothing in its memory
    const over = await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(generatePatSecret(), ip) });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("says so loudly (logger.error, once) when the store fails, and still limits in memory", async () => {
    resetAuthFailureLimiter();
    const error = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    await getDb().$executeRawUnsafe(`ALTER TABLE "RateLimit" RENAME TO "RateLimitAway"`);
    try {
      const ip = "192.0.2.79";
      let last = 0;
      for (let i = 0; i <= MAX_FAILURES; i++) last = (await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: bearer(generatePatSecret(), ip) })).status;
      expect(last).toBe(429);
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0]![1])).toMatch(/limiter.*memory/);
    } finally {
      await getDb().$executeRawUnsafe(`ALTER TABLE "RateLimitAway" RENAME TO "RateLimit"`);
    }
  });
});
