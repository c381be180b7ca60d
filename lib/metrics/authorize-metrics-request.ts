import { clientIp } from "@/lib/http/client-ip";
import { constantTimeEqual } from "@/lib/crypto";

export type MetricsAccess = "allowed" | "unauthorized" | "forbidden";

/**
 * GET /api/metrics: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>` (from anywhere);
 * without it, only loopback callers (the client address our app server set, lib/http/client-ip.ts).
 */
export function authorizeMetricsRequest(headers: Headers, metricsToken = process.env.METRICS_TOKEN): MetricsAccess {
  if (metricsToken) {
    const presented = /^Bearer (.+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
    return constantTimeEqual(presented, metricsToken) ? "allowed" : "unauthorized";
  }
  const ip = clientIp(headers);
  return ip === "127.0.0.1" || ip === "::1" ? "allowed" : "forbidden";
}
