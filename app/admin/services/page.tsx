import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { ServiceClientsPanel } from "@/components/admin/service-clients-panel";
import { PageHeader } from "@/components/layout/page-header";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";
import { describePermission } from "@/lib/service-clients/describe-permission";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { formatDateTime, formatRelativeTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Services · Admin" };

export default async function ServicesPage() {
  await requireAdminViewer("/admin/services");
  const [services, requestHeaders] = await Promise.all([listServiceClients(), headers()]);
  const issuer = issuerFor(requestHeaders, "http://localhost:3000");
  const rows = services.map((service) => ({
    id: service.id,
    clientId: service.clientId,
    name: service.name,
    permissions: service.permissions,
    proxyAllow: service.proxyAllow,
    status: service.status,
    lastUsed: service.lastUsedAt ? formatRelativeTime(service.lastUsedAt) : "never",
    exchangesLast24h: service.exchangesLast24h,
    previousSecretExpires: service.previousSecretExpiresAt ? formatDateTime(service.previousSecretExpiresAt) : null,
  }));
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/services" />
      <PageHeader
        title="Services"
        description="Software that obtains people's provider access tokens through the standard OAuth token exchange, or calls the providers through Tessera's proxy without ever holding a token. Each change is recorded in the audit log."
      />
      <ServiceClientsPanel
        services={rows}
        permissions={[...SERVICE_PERMISSIONS]}
        permissionWords={Object.fromEntries(
          [...SERVICE_PERMISSIONS, ...services.flatMap((service) => service.permissions)].map((p) => [p, describePermission(p)]),
        )}
        tokenUrl={`${issuer}/api/oauth/token`}
      />
    </div>
  );
}
