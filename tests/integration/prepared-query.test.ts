import pg from "pg";
import { expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { preparedStatement, queryPrepared } from "@/lib/db/prepared-query";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 26: the hot statements run prepared (planned once per connection, not on every call). These tests pin the
 * two places where a connection is not a session of its own, which lib/db/prepared-query.ts handles.
 */
describeOnEachDatabase("prepared statements on the hot paths", (current) => {
  it("are parsed once per connection and then only bound (the statement is held by name)", async () => {
    const statement = preparedStatement("test_plain", "SELECT $1::int + 1 AS n");
    for (let i = 0; i < 3; i++) expect((await queryPrepared<{ n: number }>(statement, [i])).rows[0]!.n).toBe(i + 1);
    const clients = (getPool() as unknown as { _clients: { connection: { parsedStatements: Record<string, string> } }[] })._clients;
    expect(clients.some((client) => client.connection.parsedStatements[statement.name] === statement.text)).toBe(true);
    const client = await getPool().connect();
    try {
      // The session itself holds it under that name (on the server, one of the pool's sessions; embedded, the one).
      const held = clients.filter((other) => other.connection.parsedStatements[statement.name]).length;
      expect(held).toBeGreaterThan(0);
      expect(statement.name).toMatch(/^tsr_test_plain_[0-9a-f]{12}$/);
    } finally {
      client.release();
    }
  });

  it("bind to a statement the session already holds under their name (the embedded database's one shared session)", async () => {
    // Seen red with the 42P05 branch removed: "prepared statement "tsr_test_shared_…" already exists".
    const statement = preparedStatement("test_shared", "SELECT $1::text || '!' AS said");
    // Every pooled connection prepares it behind the pool's back, as another connection of a shared session would have.
    const clients = await Promise.all(Array.from({ length: current().poolMax }, () => getPool().connect()));
    try {
      for (const client of clients) {
        await client.query(`PREPARE ${statement.name} (text) AS ${statement.text}`).catch((error: { code?: string }) => {
          if (error.code !== "42P05") throw error; // the embedded database: the first one prepared it for all
        });
      }
    } finally {
      clients.forEach((client) => client.release());
    }
    const said = await Promise.all(Array.from({ length: current().poolMax * 2 }, (_, i) => queryPrepared<{ said: string }>(statement, [`call ${i}`])));
    expect(said.map((result) => result.rows[0]!.said)).toEqual(Array.from({ length: current().poolMax * 2 }, (_, i) => `call ${i}!`));
  });

  it("are prepared again when a migration changes a table under them (a stale plan's result type)", async () => {
    // Seen red with the 0A000 branch removed: "cached plan must not change result type".
    await getPool().query(`CREATE TABLE prepared_probe (id int)`);
    await getPool().query(`INSERT INTO prepared_probe VALUES (1)`);
    const statement = preparedStatement("test_stale", "SELECT * FROM prepared_probe WHERE id = $1");
    // Prepare it on every connection, so the call after the change meets the stale plan wherever it lands.
    await Promise.all(Array.from({ length: current().poolMax * 2 }, () => queryPrepared(statement, [1])));
    await getPool().query(`ALTER TABLE prepared_probe ADD COLUMN label text DEFAULT 'added'`);
    for (let i = 0; i < current().poolMax * 2; i++) {
      expect((await queryPrepared<{ id: number; label: string }>(statement, [1])).rows).toEqual([{ id: 1, label: "added" }]);
    }
    await getPool().query(`DROP TABLE prepared_probe`);
  });

  it("fail only their own call on a bad value, and the pool keeps serving", async () => {
    const statement = preparedStatement("test_bad", "SELECT $1::int AS n");
    await expect(queryPrepared(statement, ["not a number"])).rejects.toMatchObject({ code: "22P02" });
    expect((await queryPrepared<{ n: number }>(statement, [7])).rows[0]!.n).toBe(7);
    expect(getPool()).toBeInstanceOf(pg.Pool);
  });

  it("refuse a label that would not make a plain statement name", () => {
    expect(() => preparedStatement("Bad label; DROP", "SELECT 1")).toThrow(/label/);
  });
});
