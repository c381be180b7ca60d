import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { ProviderHealthPanel } from "@/components/admin/provider-health-panel";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getOverview } from "@/lib/admin/get-overview";
import { getProviderHealth } from "@/lib/admin/get-provider-health";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { providerLabel } from "@/lib/providers/catalog";

export const metadata: Metadata = { title: "Admin" };

function Stat({ label, value, testId, href }: { label: string; value: number; testId: string; href?: string }) {
  const body = (
    <>
      <div className="text-2xl font-semibold" data-testid={testId}>
        {value.toLocaleString("en")}
      </div>
      <div className="text-sm text-gray-600 dark:text-gray-400">{label}</div>
    </>
  );
  return <div className="rounded-md border border-gray-100 dark:border-gray-800 p-3">{href ? <Link href={href}>{body}</Link> : body}</div>;
}

export default async function AdminOverviewPage() {
  await requireAdminViewer();
  const [overview, providerHealth] = await Promise.all([getOverview(), getProviderHealth()]);
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin" />
      <PageHeader title="Overview" description="What every account can reach, in numbers. Counts only: token values are never shown, not even here." />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>People</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-2 gap-3">
            <Stat label="users" value={overview.users} testId="stat-users" href="/admin/users" />
            <Stat label="admins" value={overview.admins} testId="stat-admins" />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Personal access tokens</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-3 gap-3">
            <Stat label="active" value={overview.pats.active} testId="stat-pats-active" />
            <Stat label="expired" value={overview.pats.expired} testId="stat-pats-expired" />
            <Stat label="revoked" value={overview.pats.revoked} testId="stat-pats-revoked" />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Last 24 hours</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-2 gap-3">
            <Stat
              label="refresh failures"
              value={overview.last24h.refreshFailures}
              testId="stat-refresh-failures"
              href="/admin/audit?action=provider_token.refresh_failed"
            />
            <Stat label="admin actions" value={overview.last24h.adminActions} testId="stat-admin-actions" href="/admin/audit" />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Providers</CardTitle>
        </CardHeader>
        <CardContent>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Providers">
            <table className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-gray-600 dark:text-gray-400">
                  <th className="py-1">Provider</th>
                  <th>Linked accounts</th>
                  <th>Users with stored tokens</th>
                </tr>
              </thead>
              <tbody>
                {[...new Set([...overview.linkedAccounts.map((r) => r.provider), ...overview.usersWithTokens.map((r) => r.provider)])].map((provider) => (
                  <tr key={provider} data-testid={`provider-row-${provider}`}>
                    <td className="py-1 font-medium">{providerLabel(provider)}</td>
                    <td data-testid="linked">{overview.linkedAccounts.find((r) => r.provider === provider)?.count ?? 0}</td>
                    <td data-testid="with-tokens">{overview.usersWithTokens.find((r) => r.provider === provider)?.count ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {overview.providerHealth.map((h) => (
            <p
              key={h.provider}
              role="alert"
              className="mt-3 rounded-md border border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/50 p-2 text-sm text-amber-900 dark:text-amber-200"
              data-testid={`provider-health-${h.provider}`}
            >
              <strong>{providerLabel(h.provider)}</strong>: {h.state} (last seen {h.since.toISOString()}). Stored tokens are kept; check the client id and
              secret.
            </p>
          ))}
          <p className="mt-3 text-sm text-gray-700 dark:text-gray-300">
            Connections needing reconnect: <strong data-testid="stat-needs-reconnect">{overview.needsReconnect}</strong>
          </p>
        </CardContent>
      </Card>
      <ProviderHealthPanel rows={providerHealth} />
    </div>
  );
}
