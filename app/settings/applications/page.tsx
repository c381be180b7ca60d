import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApplicationsTabs } from "@/components/applications/applications-tabs";
import { DeveloperApplicationsPanel } from "@/components/applications/developer-applications-panel";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { listOwnApplications } from "@/lib/oauth-apps/list-applications";
import { APP_SCOPES, FALLBACK_DEFAULT_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { SCOPE_CATALOGUE } from "@/lib/pat/scopes";
import { requireViewer } from "@/lib/auth/viewer";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { formatDateTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Developer applications" };

export default async function DeveloperApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/applications");
  const [params, applications, requestHeaders] = await Promise.all([searchParams, listOwnApplications(viewer.id), headers()]);
  const issuer = issuerFor(requestHeaders, "http://localhost:3000");
  const rows = applications.map((app) => ({
    id: app.id,
    clientId: app.clientId,
    name: app.name,
    homepageUrl: app.homepageUrl,
    redirectUris: app.redirectUris,
    defaultScopes: app.defaultScopes,
    confidential: app.confidential,
    status: app.status,
    secretHint: app.secretHint,
    previousSecretExpires: app.previousSecretExpiresAt ? formatDateTime(app.previousSecretExpiresAt) : null,
    authorizedUsers: app.authorizedUsers,
  }));
  const scopeChoices = APP_SCOPES.map((scope) => ({
    scope,
    description: SCOPE_CATALOGUE[scope].description,
    checked: FALLBACK_DEFAULT_SCOPES.includes(scope),
  }));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Applications"
        description="Applications act for people through Tessera's API after they consent (OAuth 2.0 authorization code with PKCE). They never receive anyone's provider tokens."
      />
      <ApplicationsTabs active="/settings/applications" />
      <NoticeAlert searchParams={params} />
      <DeveloperApplicationsPanel applications={rows} authorizeUrl={`${issuer}/oauth/authorize`} scopeChoices={scopeChoices} />
    </div>
  );
}
