import { checkDatabase } from "@/lib/db/check-database";
import { findPendingMigrations } from "@/lib/migrations/find-pending-migrations";
import { isShuttingDown, readinessChecks } from "./process-lifecycle";

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether this instance should receive traffic: not draining for a shutdown, the database answers,
 * every committed migration is applied, and every registered check (job workers, once they exist)
 * passes. The first failure is the reason.
 */
export async function checkReadiness(): Promise<Readiness> {
  if (isShuttingDown()) return { ready: false, reason: "shutting down" };
  if (!(await checkDatabase())) return { ready: false, reason: "database unreachable" };
  let pending: string[];
  try {
    pending = await findPendingMigrations();
  } catch {
    return { ready: false, reason: "migrations table unreadable (run npm run db:migrate)" };
  }
  if (pending.length) return { ready: false, reason: `${pending.length} migration(s) not applied: ${pending.join(", ")} (run npm run db:migrate)` };
  for (const { name, check } of readinessChecks()) {
    const failure = await Promise.resolve()
      .then(check)
      .catch(() => `${name} check failed`);
    if (failure) return { ready: false, reason: failure };
  }
  return { ready: true };
}
