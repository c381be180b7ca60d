import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { parseDatabaseUrl } from "./database-url";

export type Db = PrismaClient;

export function createDb(url: string, options: { poolMax?: number } = {}): Db {
  const { pool } = parseDatabaseUrl(url, options.poolMax);
  return new PrismaClient({ adapter: new PrismaPg(pool) });
}

// One client per process, kept on globalThis so Next's dev hot reload does not open a new pool each time.
const holder = globalThis as unknown as { tesseraDb?: Db };

export function getDb(): Db {
  if (!holder.tesseraDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
    const poolMax = process.env.DATABASE_POOL_MAX ? Number(process.env.DATABASE_POOL_MAX) : 10;
    holder.tesseraDb = createDb(url, { poolMax });
  }
  return holder.tesseraDb;
}

/** Points getDb() at a given client: tests switch between the embedded and the server database. */
export function setDb(db: Db | undefined): void {
  holder.tesseraDb = db;
}

export async function closeDb(): Promise<void> {
  const db = holder.tesseraDb;
  holder.tesseraDb = undefined;
  await db?.$disconnect();
}
