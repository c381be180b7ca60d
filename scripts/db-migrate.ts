// npm run db:migrate — applies committed migrations to DATABASE_URL (or the embedded database).
import { applyMigrations } from "../lib/migrations/migrate";
import { withDatabaseUrl } from "../lib/runtime/with-database-url";

await withDatabaseUrl(async (url) => {
  const applied = await applyMigrations(url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
});
