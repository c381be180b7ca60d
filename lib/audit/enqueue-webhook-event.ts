import type { Prisma } from "@/lib/db/generated/client";
import { enqueueJob, jobIdFor, QUEUES } from "@/lib/queue/job-queue";
import type { WebhookEventType } from "./webhook-events";

export type WebhookPayload = { id: string; type: WebhookEventType; createdAt: string; data: Record<string, unknown> };

export type DeliverJob = { deliveryId: string; attempt: number; manual?: boolean };

/** The job id of one attempt: sending it twice (a retried fan-out, two instances) inserts one job. */
export function deliverJobId(deliveryId: string, attempt: number, manual = false): string {
  return jobIdFor(`webhook:${deliveryId}:${attempt}${manual ? ":manual" : ""}`);
}

/**
 * Inside the caller's transaction: one delivery row and one delivery job per active endpoint that
 * subscribed to the event. Nothing is sent here — the job queue delivers after the commit, with no
 * transaction open. No subscriber: no row, no job.
 */
export async function enqueueWebhookEvent(tx: Prisma.TransactionClient, payload: WebhookPayload): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { status: "ACTIVE", events: { has: payload.type } }, select: { id: true } });
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({
      data: {
        endpointId: endpoint.id,
        eventId: payload.id,
        eventType: payload.type,
        payload: payload as unknown as Prisma.InputJsonValue,
        nextAttemptAt: new Date(),
      },
    });
    const job: DeliverJob = { deliveryId: delivery.id, attempt: 1 };
    await enqueueJob(QUEUES.webhookDeliver, job, { tx, id: deliverJobId(delivery.id, 1) });
  }
  return endpoints.length;
}
