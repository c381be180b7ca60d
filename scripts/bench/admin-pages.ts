import { randomBytes } from "node:crypto";
import pg from "pg";
import { hashSessionToken } from "../../lib/auth/hash-session-token";

/*
 * Times the admin pages over HTTP as a signed-in admin (median of 7 after one warm-up run each): server render plus
 * loopback transfer. Works on any Tessera database: the bench's freshly seeded one, or one seeded beforehand with
 * `npm run seed:demo -- --users 1000000` (`npm run bench -- --admin-database <url>`).
 */
export async function timeAdminPages(input: { appUrl: string; databaseUrl: string; log: (line: string) => void }): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const sessionToken = randomBytes(32).toString("hex");
  try {
    const admin = await client.query<{ id: string }>(`SELECT id FROM "User" WHERE role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`);
    if (!admin.rows[0]) throw new Error("no admin in that database");
    await client.query(
      `INSERT INTO "Session" (id, "sessionToken", "userId", expires, "createdAt", "updatedAt") VALUES ($1, $2, $3, now() + interval '1 hour', now(), now())`,
      [`bench_${randomBytes(6).toString("hex")}`, hashSessionToken(sessionToken), admin.rows[0].id],
    );
    const target = await client.query<{ id: string }>(
      `SELECT u.id FROM "User" u WHERE EXISTS (SELECT 1 FROM "ProviderConnection" c WHERE c."userId" = u.id) AND EXISTS (SELECT 1 FROM "PersonalAccessToken" p WHERE p."userId" = u.id) LIMIT 1`,
    );
    const users = Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "User"`)).rows[0]!.n);
    const time = async (page: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 8; i++) {
        const started = performance.now();
        const response = await fetch(`${input.appUrl}${page}`, { headers: { cookie: `authjs.session-token=${sessionToken}` } });
        await response.text();
        if (response.status !== 200) throw new Error(`${page}: HTTP ${response.status}`);
        if (i > 0) runs.push(performance.now() - started); // the first run warms caches
      }
      runs.sort((a, b) => a - b);
      return runs[Math.floor(runs.length / 2)]!;
    };
    input.log(`\nAdmin pages at ${users.toLocaleString("en")} users (median of 7, server render + loopback transfer; goal < 300 ms, /admin < 150 ms)`);
    const pages = [
      "/admin",
      "/admin/users",
      "/admin/users?sort=last_sign_in",
      "/admin/users?q=user4242",
      "/admin/users?q=nobody-matches-this",
      `/admin/users/${target.rows[0]?.id ?? "none"}`,
      "/admin/audit",
      "/admin/services",
      "/admin/applications",
    ];
    const results: Record<string, number> = {};
    for (const page of pages) {
      results[page] = await time(page);
      input.log(`  ${page.padEnd(44)} ${results[page]!.toFixed(0)} ms`);
    }
    return results;
  } finally {
    await client.query(`DELETE FROM "Session" WHERE "sessionToken" = $1`, [hashSessionToken(sessionToken)]).catch(() => {});
    await client.end();
  }
}
