import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/http/api-error";
import { authorizeMetricsRequest } from "@/lib/metrics/authorize-metrics-request";
import { getMetrics } from "@/lib/metrics/metrics";

export const dynamic = "force-dynamic";

/** Prometheus metrics: METRICS_TOKEN as a bearer token, or loopback only when it is unset. */
export async function GET(request: Request) {
  const access = authorizeMetricsRequest(request.headers);
  if (access === "unauthorized") return errorResponse("unauthorized", "Send METRICS_TOKEN as a bearer token.", { "www-authenticate": "Bearer" });
  if (access === "forbidden") return errorResponse("forbidden", "Metrics are served to loopback only unless METRICS_TOKEN is set.");
  const { registry } = getMetrics();
  return new NextResponse(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
