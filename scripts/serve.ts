/*
 * The app server `npm start` runs (instead of `next start`): Next through our own Node HTTP server,
 * which sets X-Forwarded-For to the client address it trusts (TRUSTED_PROXY_HOPS) before Next sees the
 * request — see lib/runtime/create-app-server.ts. `--dev` serves `next dev`. Started by scripts/start.ts,
 * which owns the database, the demo IdP and the stop order; SIGTERM/SIGINT close this server first:
 * stop accepting, let requests in flight finish (SHUTDOWN_GRACE_SECONDS, default 20), run the
 * registered shutdown steps (job workers, lib/runtime/process-lifecycle.ts), close Next, close the
 * database pool, exit 0.
 */
import next from "next";
import { parseTrustedProxyHops } from "../lib/http/client-ip";
import { closeDatabase } from "../lib/db/client";
import { observeHttpRequests } from "../lib/metrics/observe-http-requests";
import { loadRoutePatternMatcher } from "../lib/metrics/route-pattern";
import { createAppServer } from "../lib/runtime/create-app-server";
import { parseShutdownGraceSeconds, trackInFlightRequests } from "../lib/runtime/drain-server";
import { markShuttingDown, shutdownSteps } from "../lib/runtime/process-lifecycle";
import { judgeProcessFault, ProcessInvariantError } from "../lib/runtime/process-faults";
import { startJobWorkers, workersEnabled } from "../lib/jobs/start-job-workers";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const trustedProxyHops = parseTrustedProxyHops(process.env.TRUSTED_PROXY_HOPS);
const graceSeconds = parseShutdownGraceSeconds(process.env.SHUTDOWN_GRACE_SECONDS);

// Next would otherwise try to "patch" package-lock.json (and reach the registry) on every start.
process.env.NEXT_IGNORE_INCORRECT_LOCKFILE ??= "1";
const app = next({ dev, port, hostname: "localhost" });
await app.prepare();
const handle = app.getRequestHandler();
const server = createAppServer({
  handle: (req, res) => handle(req, res),
  trustedProxyHops,
  onError: (error, request) =>
    console.error(`[tessera] request ${request.id} (${request.method} ${request.path}) failed:`, error instanceof Error ? error.message : String(error)),
});
// The port is this process's reason to exist: losing it (in use, no permission) stops the process, named.
server.on("error", (error: NodeJS.ErrnoException) => {
  fault(
    new ProcessInvariantError("port gone", `the app server cannot serve on port ${port} (${error.code ?? error.message})`, { cause: error }),
    "uncaught exception",
  );
});
const requests = trackInFlightRequests(server);
observeHttpRequests(server, loadRoutePatternMatcher());
if (dev) server.on("upgrade", app.getUpgradeHandler());
// Job workers run in every app instance unless TESSERA_WORKERS=0 (then `npm run worker` runs them).
// A failure to start them is logged and shown by /api/health/ready (503 "job workers are not running").
if (workersEnabled()) {
  startJobWorkers().catch((error: unknown) => console.error("[tessera] job workers failed to start:", error instanceof Error ? error.message : String(error)));
}
server.listen(port, () =>
  console.log(
    `[tessera] app server on port ${port} (client address: ${trustedProxyHops ? `${trustedProxyHops} trusted proxy hop(s) in X-Forwarded-For` : "socket peer"})`,
  ),
);

let closing = false;
function close(code: number) {
  if (closing) return;
  closing = true;
  // Last resort if a step hangs: start.ts still closes the embedded database after this exits.
  setTimeout(() => process.exit(code || 1), (graceSeconds + 10) * 1000).unref();
  void (async () => {
    markShuttingDown();
    const { finished, unfinished } = await requests.drain(graceSeconds * 1000);
    console.log(
      `[tessera] stopped accepting connections; ${finished} request(s) in flight finished${unfinished ? `, ${unfinished} cut off after ${graceSeconds} s` : ""}`,
    );
    for (const step of shutdownSteps()) {
      await step
        .run()
        .catch((error: unknown) => console.error(`[tessera] shutdown step "${step.name}" failed:`, error instanceof Error ? error.message : String(error)));
    }
    await app.close().catch(() => {});
    await closeDatabase().catch(() => {});
    console.log("[tessera] database pool closed");
    process.exit(code);
  })();
}
process.on("SIGTERM", () => close(0));
process.on("SIGINT", () => close(0));
// Next catches what a request does. What escapes anyway (a stream or socket of one request that errors
// after its handler returned) is logged with an incident id and the process keeps serving: one request
// never stops it. Only a broken invariant of the process (ProcessInvariantError: the port gone) stops
// it, named (scripts/start.ts then stops the rest in order and closes the embedded database).
process.on("unhandledRejection", (reason) => fault(reason, "unhandled promise rejection"));
process.on("uncaughtException", (error) => fault(error, "uncaught exception"));

function fault(error: unknown, kind: "uncaught exception" | "unhandled promise rejection") {
  const decision = judgeProcessFault(kind, error);
  console.error(decision.line);
  if (decision.stop) close(1);
}
