import pg from "pg";
import { parseDatabaseUrl } from "./database-url";

const holder = globalThis as unknown as { tesseraSqlPool?: { url: string; pool: pg.Pool } };

/**
 * A plain pg pool beside Prisma, for the few hot statements where Prisma's per-query work shows up
 * in the numbers (the PAT lookup on every API call) and for rate-limiter-flexible's store.
 */
export function getSqlPool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  if (holder.tesseraSqlPool?.url !== url) {
    void holder.tesseraSqlPool?.pool.end().catch(() => {});
    const max = process.env.DATABASE_POOL_MAX ? Number(process.env.DATABASE_POOL_MAX) : 10;
    holder.tesseraSqlPool = { url, pool: new pg.Pool(parseDatabaseUrl(url, max).pool) };
  }
  return holder.tesseraSqlPool.pool;
}

export async function closeSqlPool(): Promise<void> {
  const current = holder.tesseraSqlPool;
  holder.tesseraSqlPool = undefined;
  await current?.pool.end();
}
