import PgBoss from "pg-boss";
import { logger } from "../log/logger";
import { registerReadinessCheck, registerShutdownStep } from "../runtime/process-lifecycle";
import { z } from "zod";
import { enqueueJob, JOB_SCHEMA, poolExecutor, QUEUES, type QueueName } from "../queue/job-queue";

/*
 * The job workers: one started pg-boss per process that runs them (every `npm start` instance unless
 * TESSERA_WORKERS=0, or `npm run worker`). pg-boss's maintenance and cron timekeeper run here too; its
 * cron is guarded in the database, so N instances turn each schedule slot into one job.
 */

/** Cron schedules (UTC), each overridable by an environment variable. */
export const SCHEDULES: { queue: QueueName; env: string; cron: string }[] = [
  { queue: QUEUES.proactiveRefresh, env: "TESSERA_CRON_PROACTIVE_REFRESH", cron: "*/5 * * * *" },
  { queue: QUEUES.keepAlive, env: "TESSERA_CRON_KEEPALIVE", cron: "30 3 * * 0" },
  { queue: QUEUES.purge, env: "TESSERA_CRON_PURGE", cron: "15 4 * * *" },
  { queue: QUEUES.patNotices, env: "TESSERA_CRON_PAT_NOTICES", cron: "7 * * * *" },
  { queue: QUEUES.adminCounters, env: "TESSERA_CRON_ADMIN_COUNTERS", cron: "*/10 * * * *" },
];

export function workersEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TESSERA_WORKERS !== "0";
}

const refreshBatchSchema = z.object({
  plannedAt: z.string().datetime(),
  connections: z.array(z.object({ id: z.string(), expiresAt: z.string().datetime() })).max(10_000),
});

type Running = { boss: PgBoss; running: boolean; stopping?: Promise<void> };
const holder = globalThis as unknown as { tesseraJobWorkers?: Running };

/** Handlers are loaded lazily: they pull in Prisma and the providers, which the queue itself does not need. */
async function handlers(): Promise<Record<QueueName, (data: Record<string, unknown>) => Promise<unknown>>> {
  const [
    { refreshAhead, refreshBatch, keepRefreshTokensAlive },
    { purgeExpired },
    { sendPatNotices },
    { deliverWebhook },
    { sendNotificationMail },
    { foldAdminCounters },
  ] = await Promise.all([
    import("./refresh-ahead"),
    import("./purge-expired"),
    import("./send-pat-notices"),
    import("../webhooks/deliver-webhook"),
    import("../mail/send-mail"),
    import("../admin/admin-counters"),
  ]);
  return {
    // The cron job only plans: batches go to refreshBatch, which every instance works (a storm is shared).
    [QUEUES.proactiveRefresh]: () => refreshAhead(new Date(), { enqueue: (batch) => enqueueJob(QUEUES.refreshBatch, batch) }),
    [QUEUES.refreshBatch]: (data) => refreshBatch(refreshBatchSchema.parse(data)),
    [QUEUES.keepAlive]: () => keepRefreshTokensAlive(),
    [QUEUES.purge]: () => purgeExpired(),
    [QUEUES.patNotices]: () => sendPatNotices(),
    [QUEUES.webhookDeliver]: (data) => deliverWebhook({ deliveryId: String(data.deliveryId), attempt: Number(data.attempt), manual: data.manual === true }),
    [QUEUES.mail]: (data) => sendNotificationMail(String(data.notificationId)),
    [QUEUES.adminCounters]: () => foldAdminCounters(),
  };
}

export type StartJobWorkersOptions = { pollingIntervalSeconds?: number };

/**
 * Starts the workers and the schedules, and registers the readiness check ("job workers are not
 * running") and the SIGTERM step (stop fetching, let the current job finish, up to 30 s).
 */
export async function startJobWorkers(options: StartJobWorkersOptions = {}): Promise<void> {
  if (holder.tesseraJobWorkers) return;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? Number(process.env.TESSERA_JOB_POLL_SECONDS ?? 2);
  const boss = new PgBoss({ db: poolExecutor, schema: JOB_SCHEMA, supervise: true, schedule: true, migrate: false, cronMonitorIntervalSeconds: 15 });
  const state: Running = { boss, running: false };
  holder.tesseraJobWorkers = state;
  boss.on("error", (error: Error) => logger.error({ err: error.message }, "job queue error"));
  registerReadinessCheck("workers", () => (holder.tesseraJobWorkers?.running ? null : "job workers are not running"));
  registerShutdownStep("workers", () => stopJobWorkers());
  await boss.start();
  for (const schedule of SCHEDULES) await boss.schedule(schedule.queue, process.env[schedule.env] || schedule.cron, undefined, { tz: "UTC" });
  const byQueue = await handlers();
  for (const [queue, handle] of Object.entries(byQueue)) {
    await boss.work<Record<string, unknown>>(queue, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
      const started = Date.now();
      const result = await handle(job!.data ?? {});
      logger.info({ queue, jobId: job!.id, ms: Date.now() - started, result: summarize(result) }, "job done");
    });
  }
  state.running = true;
  logger.info({ queues: Object.keys(byQueue).length }, "job workers started");
}

/** Results are counts and outcomes; never log anything bigger (or anything a token could hide in). */
function summarize(result: unknown): unknown {
  if (result === null || typeof result !== "object") return result;
  return Object.fromEntries(
    Object.entries(result)
      .filter(([, value]) => typeof value === "number" || typeof value === "boolean" || value === null)
      .slice(0, 10),
  );
}

/** Stops fetching; jobs in progress finish first (pg-boss graceful stop, up to 30 s). */
export async function stopJobWorkers(): Promise<void> {
  const state = holder.tesseraJobWorkers;
  if (!state) return;
  state.stopping ??= (async () => {
    state.running = false;
    await state.boss.stop({ graceful: true, wait: true, close: false, timeout: 30_000 });
    if (holder.tesseraJobWorkers === state) holder.tesseraJobWorkers = undefined;
    logger.info("job workers stopped");
  })();
  await state.stopping;
}

/** Whether this process runs workers right now (health and tests). */
export function jobWorkersRunning(): boolean {
  return holder.tesseraJobWorkers?.running ?? false;
}
