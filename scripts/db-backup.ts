// npm run db:backup -- <file>: a consistent backup of DATABASE_URL, else of the embedded database (online,
// through a running `npm start`, or opened just for this). lib/migrations/backup-database.ts says how and why.
import { writeBackup } from "../lib/migrations/backup-database";
import { withDatabaseUrl } from "../lib/runtime/with-database-url";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run db:backup -- <file>");
  process.exit(2);
}
await withDatabaseUrl(async (url) => {
  const backup = await writeBackup(url, file);
  const rows = Object.entries(backup.tables).reduce((sum, [table, data]) => sum + (table === "_prisma_migrations" ? 0 : data.length), 0);
  console.log(`Backup written to ${file}: ${rows} rows at migration ${backup.migrations.at(-1) ?? "(none)"}.`);
  console.log("It holds provider tokens encrypted: keep TOKEN_ENCRYPTION_KEYS (.data/secrets.json) too, and separately.");
});
