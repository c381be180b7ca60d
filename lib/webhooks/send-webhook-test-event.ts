import { randomBytes } from "node:crypto";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { deliverWebhook } from "./deliver-webhook";
import { describeAttemptProblem } from "./describe-attempt-problem";

export const TEST_EVENT_TYPE = "webhook.test";

export type TestEventResult =
  | { ok: true; deliveryId: string; delivered: boolean; statusCode: number | null; durationMs: number; problem: string | null }
  | { ok: false; code: "not_found" };

/**
 * "Send test event" (issue 25): a real signed delivery of a `webhook.test` event through the delivery path every
 * event takes (SSRF check, pinned address, timeout, signature), recorded in the endpoint's delivery log. The delivery
 * row and the audit event commit first; the POST runs after, with no transaction open, as one manual attempt (no
 * retries). A slow receiver ends at TESSERA_WEBHOOK_TIMEOUT_MS, a down one at its connection error, a garbage answer is
 * its HTTP status: each is this result's `problem`, in words.
 */
export async function sendWebhookTestEvent(endpointId: string, admin: AuditActor & { id: string }, ip: string | null): Promise<TestEventResult> {
  const eventId = `evt_test_${randomBytes(10).toString("hex")}`;
  const deliveryId = await getDb().$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true } });
    if (!endpoint) return null;
    const payload = {
      id: eventId,
      type: TEST_EVENT_TYPE,
      createdAt: new Date().toISOString(),
      data: { webhookId: endpointId, message: "A test event sent from Tessera's admin page. Nothing changed." },
    };
    const delivery = await tx.webhookDelivery.create({
      data: { endpointId, eventId, eventType: TEST_EVENT_TYPE, payload: payload as Prisma.InputJsonValue, nextAttemptAt: new Date() },
      select: { id: true },
    });
    await recordAuditEvent({ action: "webhook.test_sent", actor: admin, ip, detail: { webhookId: endpointId, deliveryId: delivery.id } }, tx);
    return delivery.id;
  });
  if (!deliveryId) return { ok: false, code: "not_found" };
  const outcome = await deliverWebhook({ deliveryId, attempt: 1, manual: true });
  if (outcome === "skipped") return { ok: true, deliveryId, delivered: false, statusCode: null, durationMs: 0, problem: "The endpoint was deleted meanwhile" };
  return {
    ok: true,
    deliveryId,
    delivered: outcome.ok,
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    problem: outcome.ok ? null : describeAttemptProblem(outcome),
  };
}
