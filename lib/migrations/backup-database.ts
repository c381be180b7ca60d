import { readFileSync, renameSync, writeFileSync } from "node:fs";
import pg from "pg";
import { applyMigrations, readMigrationList } from "./migrate";

/*
 * A logical backup: every row of every table in the public schema as JSON, read in ONE read-only
 * REPEATABLE READ transaction, so the file is one consistent snapshot while the app keeps running (on
 * the embedded database that transaction also holds pglite-socket's queue: other statements wait the
 * few hundred milliseconds it takes, nothing interleaves). Not pg_dump: the embedded database is
 * PGlite (PostgreSQL 17) and a pg_dump older than the server refuses it; JSON over our own `pg`
 * driver works on both databases. Restore = the same migrations, then the rows.
 * Token values stay encrypted in the file: they decrypt only with the same TOKEN_ENCRYPTION_KEYS.
 */

export const BACKUP_FORMAT = "tessera-backup/1";
const MIGRATIONS_TABLE = "_prisma_migrations";

export type Backup = { format: typeof BACKUP_FORMAT; createdAt: string; migrations: string[]; tables: Record<string, Record<string, unknown>[]> };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function publicTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return rows.map((row) => row.name);
}

/** Reads the whole database in one snapshot. */
export async function readBackup(url: string): Promise<Backup> {
  return withClient(url, async (client) => {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const tables: Backup["tables"] = {};
      for (const table of await publicTables(client)) {
        const { rows } = await client.query<{ rows: Record<string, unknown>[] }>(`SELECT coalesce(json_agg(t), '[]'::json) AS rows FROM ${ident(table)} t`);
        tables[table] = rows[0]!.rows;
      }
      await client.query("COMMIT");
      const migrations = (tables[MIGRATIONS_TABLE] ?? [])
        .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
        .map((row) => String(row.migration_name))
        .sort();
      return { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations, tables };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}

/** Writes a backup of `url` to `file` (mode 0600: it holds every user's data, tokens encrypted). */
export async function writeBackup(url: string, file: string): Promise<Backup> {
  const backup = await readBackup(url);
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(backup), { mode: 0o600 });
  renameSync(partial, file);
  return backup;
}

export class RestoreRefusedError extends Error {}

/**
 * Restores `file` into the EMPTY database at `url`: applies the backup's migrations (the ones it was
 * taken at; `npm start` applies any newer ones afterwards), then inserts every row in one transaction,
 * referenced tables first.
 */
export async function restoreBackup(url: string, file: string): Promise<{ rows: number }> {
  const backup = JSON.parse(readFileSync(file, "utf8")) as Backup;
  if (backup?.format !== BACKUP_FORMAT) throw new RestoreRefusedError(`${file} is not a Tessera backup (${BACKUP_FORMAT})`);
  const local = (await readMigrationList()).migrationDirectories.map((dir) => dir.path).sort();
  if (backup.migrations.some((name, i) => local[i] !== name)) {
    throw new RestoreRefusedError("the backup was taken at migrations this checkout does not have: restore it with the release that wrote it");
  }
  const existing = await withClient(url, publicTables);
  if (existing.length) throw new RestoreRefusedError(`the target database is not empty (${existing.length} tables): restore into an empty one`);

  await applyMigrations(url, { only: backup.migrations });
  return withClient(url, async (client) => {
    const order = await insertOrder(
      client,
      // AdminCounter is derived: the triggers count the restored rows again as they are inserted (issue 26).
      Object.keys(backup.tables).filter((table) => table !== MIGRATIONS_TABLE && table !== "AdminCounter"),
    );
    let rows = 0;
    await client.query("BEGIN");
    try {
      for (const table of order) {
        const data = backup.tables[table] ?? [];
        if (!data.length) continue;
        await client.query(`INSERT INTO ${ident(table)} SELECT * FROM json_populate_recordset(null::${ident(table)}, $1::json)`, [JSON.stringify(data)]);
        rows += data.length;
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    return { rows };
  });
}

/** Tables ordered so that every foreign key points at a table inserted earlier. */
async function insertOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1").replace(/""/g, '"');
  const parents = new Map(tables.map((table) => [table, new Set<string>()]));
  for (const row of rows) if (unquote(row.child) !== unquote(row.parent)) parents.get(unquote(row.child))?.add(unquote(row.parent));
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) if (parents.has(parent)) visit(parent, path);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}
