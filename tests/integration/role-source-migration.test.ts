import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { MIGRATIONS_DIR } from "@/lib/migrations/migrate";
import { serverUrl } from "../helpers/test-database";

const TARGET = "_role_source";
const dirs = readdirSync(MIGRATIONS_DIR)
  .filter((name) => /^\d{14}_/.test(name))
  .sort();
const targetIndex = dirs.findIndex((name) => name.endsWith(TARGET));
const sqlOf = (dir: string) => readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8");

async function carriesRoles(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const dir of dirs.slice(0, targetIndex)) await client.query(sqlOf(dir));
    await client.query(`INSERT INTO "User" (id, email, role, "roleFromAdminEmails", "updatedAt") VALUES
      ('listed', 'listed@example.com', 'ADMIN', true, now()),
      ('by-hand', 'by-hand@example.com', 'ADMIN', false, now()),
      ('plain', 'plain@example.com', 'USER', false, now())`);
    await client.query(sqlOf(dirs[targetIndex]!));
    const rows = await client.query(`SELECT id, role, "roleSource" FROM "User" ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: "by-hand", role: "ADMIN", roleSource: "MANUAL" },
      { id: "listed", role: "ADMIN", roleSource: "ADMIN_EMAILS" },
      { id: "plain", role: "USER", roleSource: null },
    ]);
  } finally {
    await client.end();
  }
}

describe("migration role_source carries who set each role", () => {
  it("exists", () => expect(targetIndex).toBeGreaterThan(0));

  it("on the embedded database", async () => {
    const embedded = await startEmbeddedPostgres();
    try {
      await carriesRoles(embedded.url);
    } finally {
      await embedded.stop();
    }
  });

  it.skipIf(!serverUrl)(`on the PostgreSQL server${serverUrl ? "" : " [skipped: TEST_DATABASE_URL is not set]"}`, async () => {
    const name = `tessera_mig_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(serverUrl!);
      url.pathname = `/${name}`;
      await carriesRoles(url.toString());
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
