import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { BackLink, DetailFields } from "@/components/admin/detail-fields";
import { ServiceClientsPanel } from "@/components/admin/service-clients-panel";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { PageHeader } from "@/components/layout/page-header";
import { listObjectAuditEvents } from "@/lib/admin/list-object-audit-events";
import { servicePermissionWords, toServiceRows } from "@/lib/admin/service-rows";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { getServiceClient } from "@/lib/service-clients/get-service-client";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { formatDateTime, formatRelativeTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Service · Admin" };

/** One service: its fields, its actions (the services panel, for this one row) and the latest events by or about it. */
export default async function ServiceDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminViewer(`/admin/services/${encodeURIComponent(id)}`);
  const [service, requestHeaders] = await Promise.all([getServiceClient(id), headers()]);
  if (!service) notFound();
  const events = await listObjectAuditEvents({ kind: "service", id });
  const words = servicePermissionWords([service]);

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/services" />
      <BackLink href="/admin/services">Services</BackLink>
      <PageHeader title={service.name} description={service.description ?? "A service client."} />
      <DetailFields
        label="Service"
        fields={[
          ["Client id", <code key="client">{service.clientId}</code>],
          ["Status", service.status],
          ["Permissions", service.permissions.map((permission) => words[permission] ?? permission).join("; ") || "none"],
          ["Proxy allow-list", service.proxyAllow.join(", ") || "none"],
          ["Secret", `ends in …${service.secretHint}`],
          ["Rate limit", `${service.rateLimitPerMinute} requests a minute`],
          ["Token exchanges, 24 h", String(service.exchangesLast24h)],
          ["Last used", service.lastUsedAt ? formatRelativeTime(service.lastUsedAt) : "never"],
          ["Created", formatDateTime(service.createdAt)],
        ]}
      />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Actions</h2>
        <ServiceClientsPanel
          services={toServiceRows([service])}
          permissions={[...SERVICE_PERMISSIONS]}
          permissionWords={words}
          tokenUrl={`${issuerFor(requestHeaders, "http://localhost:3000")}/api/oauth/token`}
          showCreate={false}
        />
      </section>
      <RecentAuditEvents events={events} label="Recent audit events of this service" />
    </div>
  );
}
