import type { Metadata } from "next";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { WebhooksPanel } from "@/components/admin/webhooks-panel";
import { PageHeader } from "@/components/layout/page-header";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { formatDateTime } from "@/lib/ui/format";
import { listWebhookDeliveries } from "@/lib/webhooks/deliver-webhook";
import { listWebhookEndpoints } from "@/lib/webhooks/manage-webhook-endpoints";
import { toWebhookDeliveryRows } from "@/lib/webhooks/webhook-delivery-rows";
import { WEBHOOK_EVENTS } from "@/lib/audit/webhook-events";

export const metadata: Metadata = { title: "Webhooks · Admin" };

export default async function WebhooksPage() {
  await requireAdminViewer("/admin/webhooks");
  const endpoints = await listWebhookEndpoints();
  const webhooks = await Promise.all(
    endpoints.map(async (endpoint) => ({
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      status: endpoint.status,
      disabledReason: endpoint.disabledReason,
      secretHint: endpoint.secretHint,
      failingSince: endpoint.failingSince ? formatDateTime(endpoint.failingSince) : null,
      deliveries: toWebhookDeliveryRows(await listWebhookDeliveries(endpoint.id, 20)),
    })),
  );
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/webhooks" />
      <PageHeader
        title="Webhooks"
        description="Signed HTTP notifications (Tessera-Signature, HMAC-SHA256) when connections need reconnecting, tokens expire or are revoked. Failed deliveries are retried with backoff for 24 hours."
      />
      <WebhooksPanel webhooks={webhooks} events={[...WEBHOOK_EVENTS]} />
    </div>
  );
}
