import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";

let embedded: EmbeddedPostgres;
beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
});
afterAll(async () => {
  await embedded.stop();
});

/*
 * PGlite is one session; pglite-socket queues each protocol message separately and pins a client only
 * inside a transaction (electric-sql/pglite#1046). Two clients' Parse/Bind/Execute/Sync batches then
 * interleave on the shared unnamed statement: bind errors, or silently another query's rows.
 * startEmbeddedPostgres pins a client until its batch ends (Sync); without that this test fails.
 */
it("keeps concurrent parameterised queries from several connections apart", async () => {
  const clients = await Promise.all(
    Array.from({ length: 4 }, async () => {
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      return client;
    }),
  );
  try {
    const runs = clients.map(async (client, index) => {
      for (let round = 0; round < 25; round++) {
        // Different shapes per client: an interleaving binds one client's values to another's statement.
        const params = Array.from({ length: index + 1 }, (_, i) => `${index}-${round}-${i}`);
        // Long statements (like Prisma's) arrive in several socket reads, which is where batches interleave.
        const sql = `SELECT ${params.map((_, i) => `$${i + 1}::text AS c${i}`).join(", ")} /* ${"x".repeat(100_000)} */`;
        // Half the clients wrap theirs in a transaction, as Prisma's interactive transactions do.
        if (index % 2) await client.query("BEGIN");
        const { rows } = await client.query(sql, params);
        if (index % 2) await client.query("COMMIT");
        expect(Object.values(rows[0] as Record<string, string>)).toEqual(params);
      }
    });
    await Promise.all(runs);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
});
