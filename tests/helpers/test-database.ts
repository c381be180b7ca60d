import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { resetAuthFailureLimiter } from "@/lib/rate-limit/auth-failure-limiter";
import { closeDatabase, connectDatabase, type Db } from "@/lib/db/client";
import { flushTokenUse } from "@/lib/pat/record-token-use";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/migrations/migrate";

export type DatabaseKind = "embedded" | "postgres";
export type TestDatabase = { kind: DatabaseKind; url: string; db: Db; poolMax: number; close(): Promise<void> };

/** Connections the process may hold on each test database (the one pool of lib/db/client.ts). */
export const TEST_POOL_MAX = { embedded: 4, postgres: 8 } as const;

export const serverUrl = process.env.TEST_DATABASE_URL;

/**
 * A fresh, migrated database: an in-memory PGlite, or a new database on the TEST_DATABASE_URL server.
 * It becomes the process's database handle (connectDatabase): getDb(), the PAT lookup and the
 * failure limiter all use its one pool until close().
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "embedded") {
    const embedded = await startEmbeddedPostgres();
    await applyMigrations(embedded.url);
    const { db, poolMax } = await connectDatabase(embedded.url, { poolMax: TEST_POOL_MAX.embedded });
    return {
      kind,
      url: embedded.url,
      db,
      poolMax,
      async close() {
        await closeDatabase();
        await embedded.stop();
      },
    };
  }
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `tessera_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const { db, poolMax } = await connectDatabase(url.toString(), { poolMax: TEST_POOL_MAX.postgres });
  return {
    kind,
    url: url.toString(),
    db,
    poolMax,
    async close() {
      await closeDatabase();
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs the same suite once on the embedded database and once on the PostgreSQL server, each in its
 * own fresh database that the process's database handle points at. Without TEST_DATABASE_URL the server half is reported
 * as skipped (by name) rather than silently dropped.
 */
export function describeOnEachDatabase(name: string, suite: (current: () => TestDatabase) => void): void {
  for (const kind of ["embedded", "postgres"] as const) {
    const unavailable = kind === "postgres" && !serverUrl;
    const title = unavailable ? `${name} [postgres: skipped, TEST_DATABASE_URL is not set]` : `${name} [${kind}]`;
    describe.skipIf(unavailable)(title, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
        process.env.DATABASE_URL = database.url;
        resetAuthFailureLimiter();
      });
      afterAll(async () => {
        await flushTokenUse();
        delete process.env.DATABASE_URL;
        resetAuthFailureLimiter();
        await database?.close();
      });
      suite(() => {
        if (!database) throw new Error("test database not ready");
        return database;
      });
    });
  }
}
