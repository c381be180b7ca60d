import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { enqueueJob, QUEUES } from "@/lib/queue/job-queue";
import { logger } from "@/lib/log/logger";
import { getMetrics } from "@/lib/metrics/metrics";
import { createNotification } from "@/lib/notifications/create-notification";
import { deliverJobId, type DeliverJob } from "../audit/enqueue-webhook-event";
import { sendWebhookRequest, type AttemptOutcome } from "./send-webhook-request";
import { openWebhookSecret } from "./webhook-secret";
import { SIGNATURE_HEADER, signWebhookPayload } from "./webhook-signature";

/** Automatic retries stop this long after the event. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
/** An endpoint that has failed every delivery for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 10 * 24 * 60 * 60_000;
const RETRY_CAP_MS = 60 * 60_000;

function timeoutMs(): number {
  return Number(process.env.TESSERA_WEBHOOK_TIMEOUT_MS ?? 10_000);
}

/** Exponential backoff: base (30 s; TESSERA_WEBHOOK_RETRY_BASE_SECONDS) doubling per attempt, at most 1 h, ±20 % jitter. */
export function retryDelayMs(attempt: number): number {
  const base = Number(process.env.TESSERA_WEBHOOK_RETRY_BASE_SECONDS ?? 30) * 1000;
  const delay = Math.min(RETRY_CAP_MS, base * 2 ** Math.min(attempt - 1, 20));
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}

export type { AttemptOutcome } from "./send-webhook-request";

/** One POST with no transaction open (send-webhook-request.ts: SSRF check, pinned address, every stream guarded). */
function post(url: string, body: string, secret: string): Promise<AttemptOutcome> {
  return sendWebhookRequest(
    url,
    body,
    { "content-type": "application/json", "user-agent": "Tessera-Webhooks/1", [SIGNATURE_HEADER]: signWebhookPayload(secret, body) },
    { timeoutMs: timeoutMs() },
  ).catch(
    // Whatever goes wrong is this attempt's failure: the attempt is already claimed, so a throw would leave it PENDING.
    (error: unknown): AttemptOutcome => ({
      ok: false,
      statusCode: null,
      durationMs: 0,
      error: String(error instanceof Error ? error.message : error).slice(0, 200),
      outcome: "network_error",
    }),
  );
}

/** The endpoint's signing secret, or null when no configured key opens it (a key dropped from the keyring). */
function readSecret(endpoint: { id: string; secretCiphertext: string }): string | null {
  try {
    return openWebhookSecret(endpoint);
  } catch {
    return null;
  }
}

/**
 * The `webhooks-deliver` job: attempt `attempt` of one delivery. The attempt is claimed with a
 * conditional UPDATE (attempts = attempt - 1), so a job that runs twice, or on two instances, sends once.
 * A failure schedules the next attempt through the queue until 24 h after the event; a manual
 * redelivery is one attempt. Every claimed attempt ends in an attempt row (an unreadable secret too), so
 * a delivery never stays PENDING with nothing scheduled.
 */
export async function deliverWebhook(job: DeliverJob): Promise<AttemptOutcome | "skipped"> {
  const db = getDb();
  const claimed = await db.webhookDelivery.updateMany({
    where: { id: job.deliveryId, status: "PENDING", attempts: job.attempt - 1 },
    data: { attempts: job.attempt, nextAttemptAt: null },
  });
  if (claimed.count !== 1) return "skipped";
  const delivery = await db.webhookDelivery.findUnique({ where: { id: job.deliveryId }, include: { endpoint: true } });
  if (!delivery) return "skipped";
  const { endpoint } = delivery;

  let result: AttemptOutcome;
  if (endpoint.status === "DISABLED" && !job.manual) {
    result = { ok: false, statusCode: null, durationMs: 0, error: "endpoint disabled", outcome: "refused_url" };
  } else {
    // The body is the stored payload as JSON: what the receiver verifies the signature over.
    const secret = readSecret(endpoint);
    result =
      secret === null
        ? { ok: false, statusCode: null, durationMs: 0, error: "signing secret cannot be decrypted with the configured keys", outcome: "secret_unreadable" }
        : await post(endpoint.url, JSON.stringify(delivery.payload), secret);
  }
  getMetrics().webhookDeliveries.inc({ outcome: result.outcome });

  const now = new Date();
  const retryAt = new Date(now.getTime() + retryDelayMs(job.attempt));
  const retry = !result.ok && !job.manual && endpoint.status === "ACTIVE" && retryAt.getTime() < delivery.createdAt.getTime() + RETRY_WINDOW_MS;
  await db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: job.attempt,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error: result.error,
        responseBody: result.responseBody ?? null,
      },
    });
    if (result.ok) {
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "SUCCEEDED", completedAt: now } });
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
      return;
    }
    if (retry) {
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { nextAttemptAt: retryAt } });
      const next: DeliverJob = { deliveryId: delivery.id, attempt: job.attempt + 1 };
      await enqueueJob(QUEUES.webhookDeliver, next, { tx, id: deliverJobId(delivery.id, job.attempt + 1), startAfter: retryAt });
    } else {
      await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "FAILED", completedAt: now } });
    }
    if (endpoint.status !== "ACTIVE") return;
    const failingSince = endpoint.failingSince ?? now;
    if (!endpoint.failingSince) await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: now } });
    if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) await disableEndpoint(tx, endpoint.id, endpoint.url);
  });
  if (!result.ok)
    logger.warn(
      { webhookId: endpoint.id, deliveryId: delivery.id, attempt: job.attempt, outcome: result.outcome, statusCode: result.statusCode, retry },
      "webhook delivery failed",
    );
  return result;
}

async function disableEndpoint(tx: Parameters<Parameters<ReturnType<typeof getDb>["$transaction"]>[0]>[0], endpointId: string, url: string): Promise<void> {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: endpointId, status: "ACTIVE" },
    data: { status: "DISABLED", disabledReason: "every delivery failed for 10 consecutive days" },
  });
  if (count !== 1) return;
  await recordAuditEvent({ action: "webhook.disabled", actor: { type: "system" }, detail: { webhookId: endpointId, reason: "failing for 10 days" } }, tx);
  const admins = await tx.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
  const origin = new URL(url).origin;
  for (const admin of admins) {
    await createNotification(
      {
        userId: admin.id,
        kind: "webhook.disabled",
        title: "Webhook endpoint disabled",
        body: `Deliveries to ${origin} failed for 10 consecutive days; the endpoint was disabled. Re-enable it in Admin → Webhooks.`,
        dedupeKey: `webhook-disabled:${endpointId}:${Date.now()}`,
      },
      tx,
    );
  }
}

/** Admin "Redeliver": one more attempt of a delivery, whatever its state. */
export async function redeliverWebhook(endpointId: string, deliveryId: string, admin: { type: "admin"; id: string }, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId }, select: { id: true, attempts: true, endpointId: true } });
    if (!delivery) return false;
    await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: "PENDING", completedAt: null, nextAttemptAt: new Date() } });
    const job: DeliverJob = { deliveryId, attempt: delivery.attempts + 1, manual: true };
    await enqueueJob(QUEUES.webhookDeliver, job, { tx, id: deliverJobId(deliveryId, job.attempt, true) });
    await recordAuditEvent({ action: "webhook.redelivered", actor: admin, ip, detail: { webhookId: delivery.endpointId, deliveryId } }, tx);
    return true;
  });
}

export type WebhookDeliveryView = {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: { attempt: number; statusCode: number | null; durationMs: number; error: string | null; at: string }[];
  createdAt: string;
  nextAttemptAt: string | null;
};

export async function listWebhookDeliveries(endpointId: string, take = 50): Promise<WebhookDeliveryView[]> {
  const rows = await getDb().webhookDelivery.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { attemptLog: { orderBy: { attempt: "asc" } } },
  });
  return rows.map((row) => ({
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    attempts: row.attemptLog.map((a) => ({
      attempt: a.attempt,
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      at: a.createdAt.toISOString(),
    })),
  }));
}

export type WebhookDeliveryDetail = Omit<WebhookDeliveryView, "attempts"> & {
  endpointId: string;
  /** The JSON body that was signed and sent (audit-derived: ids, names, times; never a token or secret). */
  payload: unknown;
  attempts: (WebhookDeliveryView["attempts"][number] & { responseBody: string | null })[];
};

/** One delivery of one endpoint, with what was sent and the start of each answer (the delivery detail page). */
export async function getWebhookDelivery(endpointId: string, deliveryId: string): Promise<WebhookDeliveryDetail | null> {
  const row = await getDb().webhookDelivery.findFirst({
    where: { id: deliveryId, endpointId },
    include: { attemptLog: { orderBy: { attempt: "asc" } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    payload: row.payload,
    attempts: row.attemptLog.map((a) => ({
      attempt: a.attempt,
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
      at: a.createdAt.toISOString(),
      responseBody: a.responseBody,
    })),
  };
}
