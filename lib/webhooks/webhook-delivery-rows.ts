import { formatDateTime } from "@/lib/ui/format";
import type { WebhookDeliveryView } from "./deliver-webhook";
import { describeAttemptProblem } from "./describe-attempt-problem";

/** Deliveries as the admin tables show them: times formatted, each attempt's failure in words (never the raw error). */
export function toWebhookDeliveryRows(deliveries: WebhookDeliveryView[]) {
  return deliveries.map((delivery) => ({
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    created: formatDateTime(delivery.createdAt),
    nextAttempt: delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : null,
    attempts: delivery.attempts.map((attempt) => ({
      attempt: attempt.attempt,
      statusCode: attempt.statusCode,
      durationMs: attempt.durationMs,
      at: attempt.at,
      problem: describeAttemptProblem(attempt),
    })),
  }));
}
