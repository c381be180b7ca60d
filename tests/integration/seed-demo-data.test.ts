import { expect, it } from "vitest";
import { generateKeyringEntry } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { seedDemoData } from "@/lib/seed/seed-demo-data";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The population the admin benchmark runs on (issue 26: a million users). Batches: every user's rows are written by
 * the batch that created the user, and progress is reported once per batch. Checked red once: with the connections'
 * user filter widened to every seeded user (the old `id LIKE run%` select), the second batch re-inserted the first
 * batch's connections and failed on their primary key.
 */
describeOnEachDatabase("demo data seeder", (current) => {
  it("seeds users in batches with ~2.5 linked accounts and 2 PATs each, encrypted tokens for active connections only", async () => {
    const progress: string[] = [];
    const report = await seedDemoData({
      users: 250,
      batchUsers: 100,
      databaseUrl: current().url,
      tokenKeys: generateKeyringEntry(),
      log: (m) => progress.push(m),
    });
    expect(progress.filter((line) => / of 250 users/.test(line))).toHaveLength(3);
    expect(report.users).toBe(250);
    expect(report.pats).toBe(500);
    expect(report.accounts).toBeGreaterThan(250 * 2.2);
    expect(report.accounts).toBeLessThan(250 * 2.8);
    const db = getDb();
    const users = await db.user.findMany({
      where: { email: { endsWith: "@example.org" } },
      select: { id: true, _count: { select: { personalAccessTokens: true } } },
    });
    expect(users).toHaveLength(250);
    expect(users.every((user) => user._count.personalAccessTokens === 2)).toBe(true);
    // Tokens belong to ACTIVE connections only (a dead grant keeps none), and every one is sealed, never the seed value.
    const tokens = await db.providerToken.findMany({ select: { ciphertext: true, connection: { select: { status: true } } } });
    expect(tokens.length).toBe(report.providerTokens);
    expect(tokens.every((token) => token.connection.status === "ACTIVE")).toBe(true);
    expect(tokens.some((token) => token.ciphertext.includes("seed-"))).toBe(false);
  });
});
