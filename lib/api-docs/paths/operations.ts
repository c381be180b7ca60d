import { z } from "zod";
import { healthSchema, livenessSchema, readinessSchema } from "@/lib/runtime/health-schemas";
import { defineArea, errorResponse } from "../route-doc";

export const operationsArea = defineArea({
  tag: { name: "Operations", description: "Health probes and metrics for whoever runs Tessera." },
  routes: [
    {
      method: "GET",
      path: "/api/health",
      access: { kind: "public" },
      operation: {
        operationId: "getHealth",
        summary: "Health",
        description: "Whether the database answers, and whether the demo identity provider is in use.",
        responses: {
          200: { description: "Healthy.", content: { "application/json": { schema: healthSchema } } },
          503: { description: "The database does not answer.", content: { "application/json": { schema: healthSchema } } },
        },
      },
    },
    {
      method: "GET",
      path: "/api/health/live",
      access: { kind: "public" },
      operation: {
        operationId: "getLiveness",
        summary: "Liveness probe",
        description: "The process is up. No database call, so a database outage never restarts it.",
        responses: { 200: { description: "Alive.", content: { "application/json": { schema: livenessSchema } } } },
      },
    },
    {
      method: "GET",
      path: "/api/health/ready",
      access: { kind: "public" },
      operation: {
        operationId: "getReadiness",
        summary: "Readiness probe",
        description: "Whether this instance should receive traffic: not draining, database up, migrations applied, workers running.",
        responses: {
          200: { description: "Ready.", content: { "application/json": { schema: readinessSchema } } },
          503: { description: "Not ready; `reason` says why.", content: { "application/json": { schema: readinessSchema } } },
        },
      },
    },
    {
      method: "GET",
      path: "/api/metrics",
      access: { kind: "metrics" },
      operation: {
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description: "With METRICS_TOKEN set, send it as a bearer token; unset, only loopback callers are served.",
        responses: {
          200: { description: "Prometheus text exposition format.", content: { "text/plain": { schema: z.string() } } },
          401: errorResponse("METRICS_TOKEN is set and was not sent.", ["unauthorized"], { wwwAuthenticate: true }),
          403: errorResponse("METRICS_TOKEN is unset and the caller is not on loopback.", ["forbidden"]),
        },
      },
    },
  ],
});
