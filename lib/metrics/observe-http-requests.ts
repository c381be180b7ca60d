import type { Server } from "node:http";
import { getMetrics } from "./metrics";
import type { RoutePatternMatcher } from "./route-pattern";

/** Counts and times every request `server` answers, labelled by route pattern, method and status. */
export function observeHttpRequests(server: Server, routeOf: RoutePatternMatcher): void {
  const { httpRequests, httpDuration } = getMetrics();
  server.on("request", (req, res) => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const route = routeOf(new URL(req.url ?? "/", "http://localhost").pathname);
      const method = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].includes(req.method ?? "") ? req.method! : "OTHER";
      httpRequests.inc({ route, method, status: String(res.statusCode) });
      httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}
