import { readdir } from "node:fs/promises";
import path from "node:path";
import { getPool } from "../db/client";

/** prisma/migrations (standalone builds copy it next to server.js: next.config.ts outputFileTracingIncludes). */
export const MIGRATIONS_PATH = path.join(process.cwd(), "prisma", "migrations");

/**
 * The committed migrations the database has not applied (not in `_prisma_migrations`, or recorded
 * there unfinished or rolled back). An empty list means the schema is current. Throws when the
 * database cannot be asked; a missing migrations folder counts as nothing to apply.
 */
export async function findPendingMigrations(dir = MIGRATIONS_PATH): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const committed = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const { rows } = await getPool().query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return committed.filter((name) => !applied.has(name));
}
