// npm run db:restore -- <file>: restores a backup into an EMPTY database: DATABASE_URL, else a new
// embedded data directory (.data/pglite or TESSERA_DATA_DIR) that must not exist yet or be empty.
import { existsSync, readdirSync } from "node:fs";
import { restoreBackup, RestoreRefusedError } from "../lib/migrations/backup-database";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { dataDir } from "../lib/config/data-dir";
import { findRunningEmbeddedUrl } from "../lib/runtime/with-database-url";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run db:restore -- <file>");
  process.exit(2);
}
try {
  let rows: number;
  if (process.env.DATABASE_URL) {
    ({ rows } = await restoreBackup(process.env.DATABASE_URL, file));
  } else {
    const target = dataDir("pglite");
    if (await findRunningEmbeddedUrl()) throw new RestoreRefusedError("`npm start` is serving this data directory: stop it first");
    if (existsSync(target) && readdirSync(target).length)
      throw new RestoreRefusedError(`${target} is not empty: move it away (or set TESSERA_DATA_DIR) and restore into an empty one`);
    const embedded = await startEmbeddedPostgres({ dataDir: target });
    try {
      ({ rows } = await restoreBackup(embedded.url, file));
    } finally {
      await embedded.stop();
    }
  }
  console.log(
    `Restored ${rows} rows from ${file}. Start with the same secrets (TOKEN_ENCRYPTION_KEYS, PAT_HASH_PEPPER, AUTH_SECRET) the backup was taken under.`,
  );
} catch (error) {
  console.error(`[tessera] restore refused: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
