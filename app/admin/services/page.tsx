import type { Metadata } from "next";
import { headers } from "next/headers";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { ServiceClientsPanel } from "@/components/admin/service-clients-panel";
import { PageHeader } from "@/components/layout/page-header";
import { servicePermissionWords, toServiceRows } from "@/lib/admin/service-rows";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";

export const metadata: Metadata = { title: "Services · Admin" };

export default async function ServicesPage() {
  await requireAdminViewer("/admin/services");
  const [services, requestHeaders] = await Promise.all([listServiceClients(), headers()]);
  const issuer = issuerFor(requestHeaders, "http://localhost:3000");
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/services" />
      <PageHeader
        title="Services"
        description="Software that obtains people's provider access tokens through the standard OAuth token exchange, or calls the providers through Tessera's proxy without ever holding a token. Each change is recorded in the audit log."
      />
      <ServiceClientsPanel
        services={toServiceRows(services)}
        permissions={[...SERVICE_PERMISSIONS]}
        permissionWords={servicePermissionWords(services)}
        tokenUrl={`${issuer}/api/oauth/token`}
      />
    </div>
  );
}
