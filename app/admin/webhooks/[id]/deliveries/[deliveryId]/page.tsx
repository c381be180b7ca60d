import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { BackLink, DetailFields } from "@/components/admin/detail-fields";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/code-block";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { formatDateTime } from "@/lib/ui/format";
import { getWebhookDelivery } from "@/lib/webhooks/deliver-webhook";
import { describeAttemptProblem } from "@/lib/webhooks/describe-attempt-problem";
import { isDeliveryId, isWebhookId } from "@/lib/webhooks/manage-webhook-endpoints";

export const metadata: Metadata = { title: "Webhook delivery · Admin" };

/** One delivery: the JSON that was signed and sent, and each attempt's status, problem and the start of the answer. */
export default async function WebhookDeliveryPage({ params }: { params: Promise<{ id: string; deliveryId: string }> }) {
  const { id, deliveryId } = await params;
  await requireAdminViewer(`/admin/webhooks/${encodeURIComponent(id)}`);
  const delivery = isWebhookId(id) && isDeliveryId(deliveryId) ? await getWebhookDelivery(id, deliveryId) : null;
  if (!delivery) notFound();

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/webhooks" />
      <BackLink href={`/admin/webhooks/${id}`}>The webhook</BackLink>
      <PageHeader title={`Delivery of ${delivery.eventType}`} description={`Event ${delivery.eventId}, queued ${formatDateTime(delivery.createdAt)}.`} />
      <DetailFields
        label="Delivery"
        fields={[
          [
            "State",
            <Badge key="state" tone={delivery.status === "SUCCEEDED" ? "green" : delivery.status === "FAILED" ? "red" : "amber"}>
              {delivery.status.toLowerCase()}
            </Badge>,
          ],
          ["Attempts", String(delivery.attempts.length)],
          ["Next try", delivery.nextAttemptAt ? formatDateTime(delivery.nextAttemptAt) : "—"],
        ]}
      />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Payload sent</h2>
        <p className="text-sm text-gray-600 dark:text-gray-400">The JSON body the Tessera-Signature header signs. Event data only: never a token or secret.</p>
        <CodeBlock data-testid="delivery-payload">{JSON.stringify(delivery.payload, null, 2)}</CodeBlock>
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Attempts</h2>
        {delivery.attempts.length === 0 ? <p className="text-sm text-gray-600 dark:text-gray-400">Not sent yet.</p> : null}
        {delivery.attempts.map((attempt) => (
          <div key={attempt.attempt} className="space-y-2 rounded-lg border border-gray-200 dark:border-gray-800 p-4" data-testid="delivery-attempt">
            <h3 className="font-medium">
              Attempt {attempt.attempt} · {formatDateTime(attempt.at)}
            </h3>
            <DetailFields
              label={`Attempt ${attempt.attempt}`}
              fields={[
                ["HTTP status", attempt.statusCode === null ? "no answer" : String(attempt.statusCode)],
                ["Problem", describeAttemptProblem(attempt) ?? "—"],
                ["Duration", `${attempt.durationMs} ms`],
              ]}
            />
            {attempt.responseBody ? (
              <>
                <p className="text-sm text-gray-600 dark:text-gray-400">The start of the receiver&apos;s answer (at most 1 KB):</p>
                <CodeBlock data-testid="delivery-response-body">{attempt.responseBody}</CodeBlock>
              </>
            ) : null}
          </div>
        ))}
      </section>
    </div>
  );
}
