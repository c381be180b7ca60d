// npm run db:migration -- <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between the committed migrations and schema.prisma. Needs a server that allows
// CREATE DATABASE for the shadow replay (TEST_DATABASE_URL / DATABASE_URL; the local PostgreSQL works).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { diffMigrationsToSchema, MIGRATION_LOCK_CONTENT, MIGRATIONS_DIR } from "../lib/migrations/migrate";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]{1,60}$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name>   (lowercase letters, digits and _)");
  process.exit(2);
}
const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const sql = await diffMigrationsToSchema(url);
if (!sql) {
  console.log("schema.prisma matches the committed migrations: nothing to write.");
  process.exit(0);
}
const stamp = new Date()
  .toISOString()
  .replace(/[-:TZ.]/g, "")
  .slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, "migration.sql"), sql + "\n");
await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), MIGRATION_LOCK_CONTENT);
console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
