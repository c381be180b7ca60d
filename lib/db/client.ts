import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";
import { parseDatabaseUrl } from "./database-url";

export type Db = PrismaClient;

/** The process's one database handle: a pg pool, and Prisma on top of that same pool. */
export type DatabaseHandle = { url: string; poolMax: number; pool: pg.Pool; db: Db };

/** Connections per process when DATABASE_POOL_MAX is unset (npm start sets 1 for the embedded database). */
export const DEFAULT_POOL_MAX = 10;

// Kept on globalThis so Next's dev hot reload does not open a new pool each time.
const holder = globalThis as unknown as { tesseraDatabase?: DatabaseHandle };

/**
 * Opens the process's database handle: one pg.Pool of at most `poolMax` connections, shared by
 * Prisma (adapter-pg on the same pool), the PAT lookup and the failure limiter. So the process never
 * holds more than `poolMax` connections in total. Replaces (and closes) a previous handle.
 */
export async function connectDatabase(url: string, options: { poolMax?: number } = {}): Promise<DatabaseHandle> {
  await closeDatabase();
  return openHandle(url, options.poolMax ?? poolMaxFromEnv());
}

function openHandle(url: string, poolMax: number): DatabaseHandle {
  const pool = new pg.Pool({ ...parseDatabaseUrl(url).pool, max: poolMax });
  // An idle client losing its connection (database restarted) must not crash the process: pg emits
  // 'error' on the pool, and an EventEmitter without a listener throws it.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  holder.tesseraDatabase = { url, poolMax, pool, db };
  return holder.tesseraDatabase;
}

function poolMaxFromEnv(): number {
  const raw = process.env.DATABASE_POOL_MAX;
  const value = raw ? Number(raw) : DEFAULT_POOL_MAX;
  if (!Number.isInteger(value) || value < 1) throw new Error("DATABASE_POOL_MAX must be a whole number of at least 1");
  return value;
}

/** The current handle, opened lazily from DATABASE_URL (and DATABASE_POOL_MAX) on first use. */
export function getDatabase(): DatabaseHandle {
  if (!holder.tesseraDatabase) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
    openHandle(url, poolMaxFromEnv());
  }
  return holder.tesseraDatabase!;
}

/** The Prisma client on the process's pool. */
export function getDb(): Db {
  return getDatabase().db;
}

/**
 * The plain pg pool under Prisma, for the hot statements (PAT lookup, failure counter): named ones through
 * lib/db/prepared-query.ts (which copes with the embedded database's one shared session), the rest unnamed.
 */
export function getPool(): pg.Pool {
  return getDatabase().pool;
}

/** Closes the handle (Prisma, then the pool); the next getDb() opens a new one from DATABASE_URL. */
export async function closeDatabase(): Promise<void> {
  const current = holder.tesseraDatabase;
  holder.tesseraDatabase = undefined;
  if (!current) return;
  await current.db.$disconnect().catch(() => {});
  await current.pool.end();
}
