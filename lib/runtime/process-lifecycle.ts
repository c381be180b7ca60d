/*
 * Process-wide lifecycle state shared by the app server (scripts/serve.ts) and the code Next bundles:
 * kept on globalThis because the two load separate copies of this module.
 *
 * Job workers (lib/jobs/start-job-workers.ts) register
 *   registerReadinessCheck("workers", () => running ? null : "job workers are not running")
 *   registerShutdownStep("workers", () => boss.stop({ graceful: true }))
 * and the readiness probe and the SIGTERM sequence pick both up; nothing else changes.
 */

type ShutdownStep = { name: string; run: () => Promise<void> };
/** Answers null when ready, else the reason (shown in /api/health/ready's 503). */
type ReadinessCheck = { name: string; check: () => Promise<string | null> | string | null };
type Lifecycle = { shuttingDown: boolean; shutdownSteps: ShutdownStep[]; readinessChecks: ReadinessCheck[] };

const holder = globalThis as unknown as { tesseraLifecycle?: Lifecycle };

function lifecycle(): Lifecycle {
  holder.tesseraLifecycle ??= { shuttingDown: false, shutdownSteps: [], readinessChecks: [] };
  return holder.tesseraLifecycle;
}

/** Marks the process as draining: the readiness probe answers 503 from now on. */
export function markShuttingDown(): void {
  lifecycle().shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return lifecycle().shuttingDown;
}

/** A step run on SIGTERM after in-flight requests finished and before the database pool closes. */
export function registerShutdownStep(name: string, run: () => Promise<void>): void {
  const steps = lifecycle().shutdownSteps;
  if (!steps.some((step) => step.name === name)) steps.push({ name, run });
}

export function shutdownSteps(): readonly ShutdownStep[] {
  return lifecycle().shutdownSteps;
}

export function registerReadinessCheck(name: string, check: ReadinessCheck["check"]): void {
  const checks = lifecycle().readinessChecks;
  if (!checks.some((entry) => entry.name === name)) checks.push({ name, check });
}

export function readinessChecks(): readonly ReadinessCheck[] {
  return lifecycle().readinessChecks;
}

/** Removes a readiness check (tests that start and stop workers in one process). */
export function unregisterReadinessCheck(name: string): void {
  const checks = lifecycle().readinessChecks;
  const index = checks.findIndex((entry) => entry.name === name);
  if (index >= 0) checks.splice(index, 1);
}
