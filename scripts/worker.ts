/*
 * npm run worker — the job workers alone, no web server: for deployments that run web instances with
 * TESSERA_WORKERS=0 and scale workers separately. Needs DATABASE_URL (or joins the embedded database
 * of a running `npm start`) and the same secrets as the app. SIGTERM/SIGINT: stop fetching, let the
 * current job finish, close the pool, exit 0.
 */
import { loadSecrets } from "../lib/config/secrets";
import { StartupConfigError } from "../lib/config/startup-config-error";
import { closeDatabase } from "../lib/db/client";
import { startJobWorkers, stopJobWorkers } from "../lib/jobs/start-job-workers";
import { findRunningEmbeddedUrl } from "../lib/runtime/with-database-url";

try {
  Object.assign(process.env, loadSecrets(process.env, { generate: false }));
  if (!process.env.DATABASE_URL) {
    const running = await findRunningEmbeddedUrl();
    if (!running)
      throw new StartupConfigError("DATABASE_URL is not set and no `npm start` is serving the embedded database (which runs its workers in-process anyway)");
    process.env.DATABASE_URL = running;
    process.env.DATABASE_POOL_MAX ??= "1";
  }
  await startJobWorkers();
  console.log("[tessera] job workers running (Ctrl-C to stop)");
} catch (error) {
  console.error("[tessera] worker failed to start:", error instanceof Error ? error.message : String(error));
  process.exit(1);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await stopJobWorkers().catch((error: unknown) => console.error("[tessera] stopping workers failed:", error instanceof Error ? error.message : String(error)));
  await closeDatabase().catch(() => {});
  console.log("[tessera] worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
