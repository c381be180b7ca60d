import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { BackLink, DetailFields } from "@/components/admin/detail-fields";
import { WebhookDeliveriesTable } from "@/components/admin/webhook-deliveries-table";
import { WebhookDetailPanel } from "@/components/admin/webhook-detail-panel";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { listObjectAuditEvents } from "@/lib/admin/list-object-audit-events";
import { WEBHOOK_EVENTS } from "@/lib/audit/webhook-events";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { formatDateTime } from "@/lib/ui/format";
import { listWebhookDeliveries } from "@/lib/webhooks/deliver-webhook";
import { getWebhookEndpoint, isWebhookId } from "@/lib/webhooks/manage-webhook-endpoints";
import { toWebhookDeliveryRows } from "@/lib/webhooks/webhook-delivery-rows";

export const metadata: Metadata = { title: "Webhook · Admin" };

export default async function WebhookDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminViewer(`/admin/webhooks/${encodeURIComponent(id)}`);
  const webhook = isWebhookId(id) ? await getWebhookEndpoint(id) : null;
  if (!webhook) notFound();
  const [deliveries, events] = await Promise.all([listWebhookDeliveries(id, 50), listObjectAuditEvents({ kind: "webhook", id })]);

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/webhooks" />
      <BackLink href="/admin/webhooks">Webhooks</BackLink>
      <PageHeader title={new URL(webhook.url).host} description={webhook.description ?? "A webhook endpoint."} />
      <DetailFields
        label="Webhook endpoint"
        fields={[
          ["URL", <code key="url">{webhook.url}</code>],
          [
            "Status",
            <Badge key="status" tone={webhook.status === "ACTIVE" ? "green" : "red"}>
              {webhook.status === "ACTIVE" ? "active" : "disabled"}
            </Badge>,
          ],
          ["Events", webhook.events.join(", ")],
          ["Signing secret", `ends in …${webhook.secretHint} (shown once, when the endpoint was created)`],
          ["Failing since", webhook.failingSince ? formatDateTime(webhook.failingSince) : "—"],
          ...(webhook.disabledReason ? ([["Disabled because", webhook.disabledReason]] as [string, string][]) : []),
          ["Created", formatDateTime(webhook.createdAt)],
        ]}
      />
      <WebhookDetailPanel webhook={webhook} events={[...WEBHOOK_EVENTS]} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Deliveries</h2>
        <WebhookDeliveriesTable webhookId={id} url={webhook.url} deliveries={toWebhookDeliveryRows(deliveries)} />
      </section>
      <RecentAuditEvents events={events} label="Recent audit events of this webhook" />
    </div>
  );
}
