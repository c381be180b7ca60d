import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import pg, { type PoolConfig } from "pg";
import { splitSqlStatements } from "./split-sql-statements";
import { parseDatabaseUrl } from "../db/database-url";
import { installJobQueue } from "../queue/job-queue";

/*
 * Migrations run through Prisma's own WebAssembly schema engine, so they work offline and on the
 * embedded database. The files stay in Prisma's standard layout: `prisma migrate deploy` applies
 * the same folder wherever the native engine is available.
 */

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const LOCKFILE = "migration_lock.toml";
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type WasmRuntime = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (options: { datamodels: [string, string][] }, debug: (message: string) => void, adapter: object) => Promise<SchemaEngine>;
  };
};

type MigrationList = {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: "ok"; value: string } } }[];
};

type SchemaEngine = {
  applyMigrations(input: { migrationsList: MigrationList; filters: typeof NO_FILTERS }): Promise<{ appliedMigrationNames: string[] }>;
  diff(params: {
    from: { tag: "empty" } | ({ tag: "migrations" } & MigrationList);
    to: { tag: "schemaDatamodel"; files: { path: string; content: string }[] };
    script: boolean;
    exitCode: boolean | null;
    filters: typeof NO_FILTERS;
  }): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A pg pool for the schema engine. adapter-pg 7.10 cannot decode PostgreSQL's internal `"char"` type,
 * which the engine's catalogue queries return (e.g. pg_class.relkind); it is plain text, so report it as text.
 */
function createMigrationPool(config: PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on("connect", (client) => {
    const fix = <R>(result: R): R => {
      for (const field of (result as { fields?: { dataTypeID: number }[] })?.fields ?? []) {
        if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
      }
      return result;
    };
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args[args.length - 1] = (err: unknown, result: unknown) => (last as (e: unknown, r: unknown) => void)(err, err ? result : fix(result));
        return query(...args);
      }
      const out = query(...args);
      return out instanceof Promise ? out.then(fix) : out;
    }) as typeof client.query;
  });
  return pool;
}

/**
 * adapter-pg 7.10 drops its shadow database while its own pool still holds a connection, which
 * PostgreSQL refuses; this variant closes the shadow pool first and then drops the database.
 */
class MigrationPg extends PrismaPg {
  readonly pool: pg.Pool;

  constructor(private readonly poolConfig: PoolConfig) {
    const pool = createMigrationPool(poolConfig);
    super(pool, { disposeExternalPool: true });
    this.pool = pool;
  }

  override async connect() {
    return withStatementSplitter(await super.connect());
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_shadow_${randomUUID().replace(/-/g, "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = withStatementSplitter(
      await new PrismaPg(createMigrationPool({ ...this.poolConfig, database, max: 1 }), { disposeExternalPool: true }).connect(),
    );
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** Runs a migration file statement by statement, cut by splitSqlStatements (adapter-pg cuts at every ";"). */
function withStatementSplitter(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script: string) => {
    for (const sql of splitSqlStatements(script)) await adapter.executeRaw({ sql, args: [], argTypes: [] });
  };
  return adapter;
}

let runtimePromise: Promise<WasmRuntime> | undefined;

function loadWasmRuntime(): Promise<WasmRuntime> {
  runtimePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const runtime = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as WasmRuntime;
    const bytes = await readFile(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": runtime as never });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })();
  return runtimePromise;
}

async function withEngine<T>(databaseUrl: string, run: (engine: SchemaEngine, schemaText: string) => Promise<T>): Promise<T> {
  const runtime = await loadWasmRuntime();
  const schemaText = await readFile(SCHEMA_PATH, "utf8");
  const { pool } = parseDatabaseUrl(databaseUrl, 2);
  const factory = new MigrationPg(pool);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  try {
    const engine = await runtime.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schemaText]] }, () => {}, adapter);
    try {
      return await run(engine, schemaText);
    } finally {
      engine.free();
    }
  } finally {
    // free() does not dispose the adapter: without this its connection stays open for the life of the
    // process, beside the app's one pool (npm start runs migrations in the process that hosts the embedded database).
    if (!factory.pool.ended) await factory.pool.end().catch(() => {});
  }
}

export async function readMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockContent = await readFile(path.join(dir, LOCKFILE), "utf8").catch(() => null);
  return { baseDir: dir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

/**
 * Applies every committed migration not yet recorded in `_prisma_migrations`; returns their names.
 * `only`: just these (a restore rebuilds the schema a backup was taken at).
 */
export async function applyMigrations(databaseUrl: string, options: { only?: string[] } = {}): Promise<string[]> {
  const migrationsList = await readMigrationList();
  if (options.only) {
    const only = new Set(options.only);
    migrationsList.migrationDirectories = migrationsList.migrationDirectories.filter((dir) => only.has(dir.path));
  }
  return withEngine(databaseUrl, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return appliedMigrationNames;
  }).then(async (applied) => {
    // pg-boss's own schema (the job queue) is part of "the database is migrated".
    if (!options.only) await installJobQueue(databaseUrl);
    return applied;
  });
}

/**
 * SQL that would bring the committed migrations up to `schema.prisma`; empty when they match.
 * Replays the migrations in a throwaway shadow database, so it needs a server that allows CREATE DATABASE.
 */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string> {
  const migrations = await readMigrationList();
  return withEngine(databaseUrl, async (engine, schemaText) => {
    const from = migrations.migrationDirectories.length ? { tag: "migrations" as const, ...migrations } : { tag: "empty" as const };
    const { stdout } = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schemaText }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return stripEmptyScript(stdout ?? "");
  });
}

/** The engine answers "-- This is an empty migration." for no changes. */
export function stripEmptyScript(sql: string): string {
  return sql.replace(/^--\s*This is an empty migration\.?\s*$/m, "").trim();
}

export const MIGRATION_LOCK_CONTENT = `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`;
