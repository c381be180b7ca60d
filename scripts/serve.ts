/*
 * The app server `npm start` runs (instead of `next start`): Next through our own Node HTTP server,
 * which sets X-Forwarded-For to the client address it trusts (TRUSTED_PROXY_HOPS) before Next sees the
 * request — see lib/runtime/create-app-server.ts. `--dev` serves `next dev`. Started by scripts/start.ts,
 * which owns the database, the demo IdP and the stop order; SIGTERM/SIGINT close this server first.
 */
import next from "next";
import { parseTrustedProxyHops } from "../lib/api/client-ip";
import { createAppServer } from "../lib/runtime/create-app-server";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const trustedProxyHops = parseTrustedProxyHops(process.env.TRUSTED_PROXY_HOPS);

// Next would otherwise try to "patch" package-lock.json (and reach the registry) on every start.
process.env.NEXT_IGNORE_INCORRECT_LOCKFILE ??= "1";
const app = next({ dev, port, hostname: "localhost" });
await app.prepare();
const handle = app.getRequestHandler();
const server = createAppServer({
  handle: (req, res) => handle(req, res),
  trustedProxyHops,
  onError: (error) => console.error("[tessera] request failed:", error instanceof Error ? error.message : String(error)),
});
if (dev) server.on("upgrade", app.getUpgradeHandler());
server.listen(port, () => console.log(`[tessera] app server on port ${port} (client address: ${trustedProxyHops ? `${trustedProxyHops} trusted proxy hop(s) in X-Forwarded-For` : "socket peer"})`));

let closing = false;
function close(code: number) {
  if (closing) return;
  closing = true;
  server.close(() => void app.close().finally(() => process.exit(code)));
  server.closeAllConnections();
  setTimeout(() => process.exit(code), 5_000).unref();
}
process.on("SIGTERM", () => close(0));
process.on("SIGINT", () => close(0));
// Next catches what a request does; anything else is logged, and an uncaught exception stops this
// process (scripts/start.ts then stops the rest in order and closes the embedded database).
process.on("unhandledRejection", (reason) => console.error("[tessera] unhandled promise rejection:", reason instanceof Error ? reason.message : String(reason)));
process.on("uncaughtException", (error) => {
  console.error("[tessera] uncaught exception, stopping:", error.stack ?? error.message);
  close(1);
});
