import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { readJobQueueDepth } from "@/lib/queue/read-job-queue-depth";

/*
 * Prometheus metrics for GET /api/metrics. One registry per process, kept on globalThis: the app server
 * (scripts/serve.ts, HTTP metrics) and Next's server bundle (PAT, refresh, handout metrics) load this
 * module separately and must fill the same registry.
 *
 * Labels are closed sets (route PATTERNS, providers, outcomes, queues, service clients): never a user id,
 * a token or a raw path. Token handouts and proxied calls both name the service by its admin-created name,
 * which is what an operator reads on a dashboard.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tessera_" });
  const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpRequests: new Counter({
      name: "tessera_http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "tessera_http_request_duration_seconds",
      help: "HTTP request latency by route pattern and method",
      labelNames: ["route", "method"] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    patVerifications: new Counter({
      name: "tessera_pat_verifications_total",
      help: "Personal access token verifications by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    providerRefreshes: new Counter({
      name: "tessera_provider_refreshes_total",
      help: "Token refreshes at providers by provider and outcome",
      labelNames: ["provider", "outcome"] as const,
      registers: [registry],
    }),
    providerRefreshDuration: new Histogram({
      name: "tessera_provider_refresh_duration_seconds",
      help: "Provider refresh latency by provider and outcome",
      labelNames: ["provider", "outcome"] as const,
      buckets: latencyBuckets,
      registers: [registry],
    }),
    tokenHandouts: new Counter({
      name: "tessera_token_handouts_total",
      help: "Provider access tokens handed to service clients through the token exchange, by service (client name), provider and outcome",
      labelNames: ["service", "provider", "outcome"] as const,
      registers: [registry],
    }),
    proxiedCalls: new Counter({
      name: "tessera_proxied_calls_total",
      help: "Provider API proxy calls by service (client name), provider and outcome (ok, provider_4xx, provider_5xx, timeout, or why Tessera refused)",
      labelNames: ["service", "provider", "outcome"] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: "tessera_webhook_deliveries_total",
      help: "Webhook delivery attempts by outcome (success, http_error, timeout, network_error, refused_url, secret_unreadable)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    jobQueueDepth: new Gauge({
      name: "tessera_job_queue_depth",
      help: "Jobs waiting (created or retry) per queue; read from the database at scrape time",
      labelNames: ["queue"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const { queue, depth } of await readJobQueueDepth()) this.set({ queue }, depth);
      },
    }),
    dbPool: new Gauge({
      name: "tessera_db_pool_connections",
      help: "Database pool connections by state (total, idle, waiting clients) and the pool's maximum",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        // The handle lib/db/client.ts keeps on globalThis; read only, never opened from here.
        const handle = (globalThis as { tesseraDatabase?: { poolMax: number; pool: { totalCount: number; idleCount: number; waitingCount: number } } })
          .tesseraDatabase;
        this.set({ state: "max" }, handle?.poolMax ?? 0);
        this.set({ state: "total" }, handle?.pool.totalCount ?? 0);
        this.set({ state: "idle" }, handle?.pool.idleCount ?? 0);
        this.set({ state: "waiting" }, handle?.pool.waitingCount ?? 0);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const holder = globalThis as unknown as { tesseraMetrics?: Metrics };

export function getMetrics(): Metrics {
  holder.tesseraMetrics ??= createMetrics();
  return holder.tesseraMetrics;
}
