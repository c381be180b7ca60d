import { existsSync, readFileSync } from "node:fs";
import pg from "pg";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { dataDir } from "../config/data-dir";

/** While `npm start` runs the embedded database it writes its URL here, so tools join it online. */
export const RUNNING_EMBEDDED_URL_FILE = "embedded-database.url";

export async function databaseAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `fn` against DATABASE_URL; else against the embedded database of a running `npm start`;
 * else starts the embedded database just for `fn` (PGlite's files must have one owner at a time).
 */
/** The URL of the embedded database a running `npm start` serves from this data directory, if any. */
export async function findRunningEmbeddedUrl(): Promise<string | null> {
  const urlFile = dataDir(RUNNING_EMBEDDED_URL_FILE);
  if (!existsSync(urlFile)) return null;
  const running = readFileSync(urlFile, "utf8").trim();
  return (await databaseAnswers(running)) ? running : null;
}

export async function withDatabaseUrl(fn: (url: string) => Promise<void>): Promise<void> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const running = await findRunningEmbeddedUrl();
  if (running) return fn(running);
  const embedded = await startEmbeddedPostgres({ dataDir: dataDir("pglite") });
  try {
    await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}
