import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { expect, it } from "vitest";
import { foldAdminCounters, readAdminCounts, type AdminCounts } from "@/lib/admin/admin-counters";
import { getDb } from "@/lib/db/client";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 26: the admin overview reads maintained counters (triggers in migration 20261204153842_admin_counters)
 * instead of scanning. The oracle here is the scan the overview used to run. Every write kind the app makes is
 * exercised: inserts one and many at a time, a role change, revocation, a connection's status change, deletes
 * (also by cascade from a user), and the fold.
 * Checked red once each: with the PAT update trigger dropped (`tessera_count_pats_update`), a revoked token stayed
 * "active"; with the fold's `GROUP BY key` sum replaced by max(delta), the fold changed the counts.
 */
async function scanCounts(now: Date): Promise<AdminCounts> {
  const db = getDb();
  const [users, accounts, active, needsReconnect, pats] = await Promise.all([
    db.$queryRaw<{ total: bigint; admins: bigint }[]>`SELECT count(*) AS total, count(*) FILTER (WHERE role = 'ADMIN') AS admins FROM "User"`,
    db.$queryRaw<{ provider: string; n: bigint }[]>`SELECT provider, count(*) AS n FROM "Account" GROUP BY provider ORDER BY provider`,
    db.$queryRaw<
      { provider: string; n: bigint }[]
    >`SELECT provider, count(*) AS n FROM "ProviderConnection" WHERE status = 'ACTIVE' GROUP BY provider ORDER BY provider`,
    db.providerConnection.count({ where: { status: "NEEDS_RECONNECT" } }),
    db.$queryRaw<{ active: bigint; expired: bigint; revoked: bigint }[]>`
      SELECT count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" > ${now}) AS active,
             count(*) FILTER (WHERE "revokedAt" IS NULL AND "expiresAt" <= ${now}) AS expired,
             count(*) FILTER (WHERE "revokedAt" IS NOT NULL) AS revoked
      FROM "PersonalAccessToken"`,
  ]);
  return {
    users: Number(users[0]!.total),
    admins: Number(users[0]!.admins),
    accounts: accounts.map((r) => ({ provider: r.provider, count: Number(r.n) })),
    activeConnections: active.map((r) => ({ provider: r.provider, count: Number(r.n) })),
    needsReconnect,
    pats: { active: Number(pats[0]!.active), expired: Number(pats[0]!.expired), revoked: Number(pats[0]!.revoked) },
  };
}

const HOUR = 3600_000;
const PROVIDERS = ["google", "github", "slack"] as const;

async function addPerson(input: { admin: boolean; providers: readonly string[]; dead: boolean; patOffsetsHours: number[] }) {
  const db = getDb();
  const user = await db.user.create({ data: { email: `c-${randomBytes(5).toString("hex")}@example.com`, role: input.admin ? "ADMIN" : "USER" } });
  if (input.providers.length) {
    await db.account.createMany({
      data: input.providers.map((provider) => ({ userId: user.id, type: "oauth", provider, providerAccountId: `${provider}-${user.id}` })),
    });
    await db.providerConnection.createMany({
      data: input.providers.map((provider, i) => ({
        userId: user.id,
        provider,
        status: input.dead && i === 0 ? ("NEEDS_RECONNECT" as const) : ("ACTIVE" as const),
      })),
    });
  }
  if (input.patOffsetsHours.length) {
    await db.personalAccessToken.createMany({
      data: input.patOffsetsHours.map((hours, i) => ({
        id: `pat_${randomBytes(6).toString("hex")}`,
        userId: user.id,
        name: `t${i}`,
        scopes: ["profile:read"],
        tokenHash: randomBytes(16).toString("hex"),
        tokenHint: "x",
        expiresAt: new Date(Date.now() + hours * HOUR),
      })),
    });
  }
  return user;
}

describeOnEachDatabase("admin counters", () => {
  it("equal the scan after every kind of write, and after folding", async () => {
    const db = getDb();
    const check = async (label: string) => {
      const now = new Date();
      expect(await readAdminCounts(now), label).toEqual(await scanCounts(now));
    };
    await check("empty");
    // Expired days ago, earlier today (when the clock allows), later, and in months.
    const sinceMidnight = (Date.now() - new Date(new Date().toISOString().slice(0, 10)).getTime()) / HOUR;
    const people = [
      await addPerson({ admin: true, providers: ["google", "github"], dead: false, patOffsetsHours: [-72, 24, 2000] }),
      await addPerson({ admin: false, providers: PROVIDERS, dead: true, patOffsetsHours: [-sinceMidnight / 2, 1, 48] }),
      await addPerson({ admin: false, providers: [], dead: false, patOffsetsHours: [] }),
    ];
    await check("created");
    await db.user.update({ where: { id: people[2]!.id }, data: { role: "ADMIN" } });
    await db.user.update({ where: { id: people[0]!.id }, data: { role: "USER", lastSignInAt: new Date() } });
    await check("roles changed");
    await db.personalAccessToken.updateMany({ where: { userId: people[1]!.id, name: "t2" }, data: { revokedAt: new Date() } });
    await db.personalAccessToken.updateMany({ where: { userId: people[0]!.id }, data: { lastUsedAt: new Date() } });
    await check("revoked, used");
    await db.providerConnection.updateMany({ where: { userId: people[0]!.id, provider: "github" }, data: { status: "NEEDS_RECONNECT" } });
    await db.providerConnection.updateMany({ where: { userId: people[1]!.id, provider: "slack" }, data: { status: "REVOCATION_PENDING" } });
    await db.providerConnection.updateMany({ where: { userId: people[1]!.id }, data: { lastRefreshedAt: new Date() } });
    await check("statuses changed");
    await db.account.deleteMany({ where: { userId: people[0]!.id, provider: "google" } });
    await db.user.delete({ where: { id: people[1]!.id } }); // cascades to its accounts, connections and tokens
    await check("deleted");
    const rowsBefore = await db.adminCounter.count();
    const folded = await foldAdminCounters();
    expect(folded.before).toBe(rowsBefore);
    expect(await db.adminCounter.count()).toBe(folded.after);
    expect(folded.after).toBeLessThan(folded.before);
    await check("folded");
  });

  it("stay equal to the scan under any sequence of writes (property)", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("add" as const),
        admin: fc.boolean(),
        providers: fc.subarray([...PROVIDERS]),
        dead: fc.boolean(),
        pats: fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 3 }),
      }),
      fc.record({ kind: fc.constantFrom("revoke" as const, "promote" as const, "kill" as const, "delete" as const, "fold" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const db = getDb();
        for (const step of ops) {
          const users = await db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } });
          const target = "pick" in step && users.length ? users[step.pick % users.length]!.id : null;
          if (step.kind === "add") await addPerson({ admin: step.admin, providers: step.providers, dead: step.dead, patOffsetsHours: step.pats });
          else if (step.kind === "fold") await foldAdminCounters();
          else if (!target) continue;
          else if (step.kind === "revoke")
            await db.personalAccessToken.updateMany({ where: { userId: target, revokedAt: null }, data: { revokedAt: new Date() } });
          else if (step.kind === "promote") await db.user.update({ where: { id: target }, data: { role: "ADMIN" } });
          else if (step.kind === "kill") await db.providerConnection.updateMany({ where: { userId: target }, data: { status: "NEEDS_RECONNECT" } });
          else await db.user.delete({ where: { id: target } });
        }
        const now = new Date();
        expect(await readAdminCounts(now)).toEqual(await scanCounts(now));
      }),
      { numRuns: 15 },
    );
  });
});
