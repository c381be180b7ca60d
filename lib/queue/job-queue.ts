import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import type { Prisma } from "../db/generated/client";
import { getPool } from "../db/client";

/*
 * The job queue: pg-boss on the app's own PostgreSQL (the embedded one too), in the `pgboss` schema,
 * installed with the migrations (applyMigrations → installJobQueue). Jobs are fetched with
 * SELECT … FOR UPDATE SKIP LOCKED, so one instance gets each job however many poll; cron schedules
 * live in the database and pg-boss's timekeeper turns each slot into one job (a singleton on the slot).
 * Every statement goes through the process's one pool (lib/db/client.ts), so DATABASE_POOL_MAX still
 * bounds the connections an instance holds.
 */

export const QUEUES = {
  proactiveRefresh: "provider-tokens-proactive-refresh",
  /** Batches of connection ids the proactive run planned; every instance's worker takes them (refresh-ahead.ts). */
  refreshBatch: "provider-tokens-refresh-batch",
  keepAlive: "provider-tokens-keep-alive",
  purge: "retention-purge",
  patNotices: "pat-notices",
  webhookDeliver: "webhooks-deliver",
  mail: "mail-send",
  adminCounters: "admin-counters-fold",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOB_SCHEMA = "pgboss";

/** pg-boss's database interface over the process's pool (unnamed statements only, as PGlite needs). */
export const poolExecutor: PgBoss.Db = {
  executeSql: (text, values) => getPool().query(text, values),
};

/**
 * Creates (or upgrades) pg-boss's schema and Tessera's queues. Idempotent; pg-boss takes an advisory
 * lock while it migrates, so instances starting together do not race.
 */
export async function installJobQueue(databaseUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 1, schema: JOB_SCHEMA, supervise: false, schedule: false, migrate: true });
  boss.on("error", () => {});
  await boss.start();
  try {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const name of Object.values(QUEUES)) if (!existing.has(name)) await boss.createQueue(name);
  } finally {
    await boss.stop({ graceful: false, wait: true, close: true });
  }
}

const holder = globalThis as unknown as { tesseraJobSender?: PgBoss };

/**
 * A pg-boss instance that is never started: it only inserts jobs (send needs no started instance,
 * and starting one in every web request path would run maintenance everywhere).
 */
function getJobSender(): PgBoss {
  holder.tesseraJobSender ??= new PgBoss({ db: poolExecutor, schema: JOB_SCHEMA, supervise: false, schedule: false, migrate: false });
  return holder.tesseraJobSender;
}

/** A job id derived from a key: sending the same key twice inserts one job (the id is the primary key). */
export function jobIdFor(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Makes pg-boss insert its job inside an open Prisma transaction: the job exists exactly when the
 * transaction commits (an outbox with no second table). Objects become JSON text for `$3::jsonb`.
 */
function transactionExecutor(tx: Prisma.TransactionClient): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const params = (values ?? []).map((value: unknown) =>
        value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value,
      );
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...params);
      return { rows };
    },
  };
}

export type EnqueueOptions = {
  /** Deduplication: see jobIdFor. */
  id?: string;
  startAfter?: Date;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Insert inside this transaction. */
  tx?: Prisma.TransactionClient;
};

/** Sends one job; null when a job with the same id already exists. */
export async function enqueueJob(name: QueueName, data: object, options: EnqueueOptions = {}): Promise<string | null> {
  const { tx, ...rest } = options;
  return getJobSender().send(name, data, { ...rest, ...(tx ? { db: transactionExecutor(tx) } : {}) });
}
