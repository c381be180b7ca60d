import type { PoolConfig } from "pg";

export type DatabaseTarget = { pool: PoolConfig };

/**
 * Turns a `postgresql://` URL into pg pool settings. Tessera uses the database's `public` schema
 * (isolate installations or tests by database, not by schema). The fields are passed explicitly (not as
 * `connectionString`) because pg lets a connection string override fields such as `database`,
 * which the migration engine's shadow-database logic relies on.
 */
export function parseDatabaseUrl(url: string, poolMax?: number): DatabaseTarget {
  const parsed = new URL(url);
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error("DATABASE_URL must start with postgresql://");
  }
  const sslmode = parsed.searchParams.get("sslmode");
  return {
    pool: {
      host: decodeURIComponent(parsed.hostname) || "127.0.0.1",
      port: parsed.port ? Number(parsed.port) : 5432,
      user: decodeURIComponent(parsed.username) || "postgres",
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
      ssl: sslmode && sslmode !== "disable" ? { rejectUnauthorized: sslmode === "verify-full" } : undefined,
      max: poolMax,
    },
  };
}
