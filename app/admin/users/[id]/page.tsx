import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PendingRevocations } from "@/components/admin/pending-revocations";
import { PageHeader } from "@/components/layout/page-header";
import { TokenTable } from "@/components/tokens/token-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { getLastRevokeAllReport, type RevokeAllDetail } from "@/lib/admin/get-last-revoke-all-report";
import { describeStoredTokens, getUserSecurity } from "@/lib/admin/get-user-security";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { providerLabel } from "@/lib/providers/catalog";
import { listServiceUsage } from "@/lib/service-clients/list-service-usage";
import { ServiceUsageList } from "@/components/connections/service-usage-list";
import { formatRelativeTime } from "@/lib/ui/format";
import { plural } from "@/lib/ui/plural";
import {
  deleteWithoutRevocationAction,
  endSessionsAction,
  retryRevocationAction,
  revokeAllAction,
  revokePatAction,
  revokeProviderAction,
  setRoleAction,
} from "../../actions";

export const metadata: Metadata = { title: "User security · Admin" };

function describeProviderRevocation(p: RevokeAllDetail["providers"][number]): string {
  if (p.status === "failed" || p.status === "pending")
    return `revocation at the provider not confirmed (${p.reason ?? p.status}); tokens kept, never used — retry below`;
  return p.revocation === "revoked" ? "tokens deleted; revoked at the provider" : `tokens deleted; not revoked at the provider (${p.reason ?? p.revocation})`;
}

export default async function AdminUserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  await requireAdminViewer(`/admin/users/${id}`);
  const query = await searchParams;
  const security = await getUserSecurity(id.slice(0, 100));
  if (!security) notFound();
  const { user, storedTokens, connections, pats, activeSessions, appGrants, recentEvents } = security;
  // The report of the latest "Revoke all" (last 24 h) stays visible for whoever handles the incident.
  const [lastRevokeAll, serviceUsage] = await Promise.all([getLastRevokeAllReport(user.id), listServiceUsage(user.id)]);
  const report = lastRevokeAll?.detail;
  const hidden = { userId: user.id };

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/users" />
      <PageHeader
        title={user.email ?? user.id}
        description={`${user.name ?? ""} · ${user.role === "ADMIN" ? "administrator" : "user"} · last sign-in ${user.lastSignInAt ? formatRelativeTime(user.lastSignInAt) : "never"}`}
        actions={
          <div className="flex gap-2">
            <ConfirmDialog
              triggerLabel="Revoke all"
              title={`Revoke every credential of ${user.email}?`}
              description="Ends every session and revokes every personal access token at once, then revokes the stored provider tokens at each provider where possible (tokens a provider does not confirm stay stored, never used, until you retry). The user is signed out everywhere on their next request."
              confirmLabel="Revoke everything"
              action={revokeAllAction}
              hiddenFields={hidden}
            />
            <ConfirmDialog
              triggerLabel={user.role === "ADMIN" ? "Demote to user" : "Promote to admin"}
              triggerVariant="secondary"
              title={user.role === "ADMIN" ? "Remove administrator rights?" : "Make this user an administrator?"}
              description={
                user.role === "ADMIN"
                  ? "They lose access to the admin pages and API."
                  : "They will see every user's token names and can revoke anyone's credentials."
              }
              confirmLabel={user.role === "ADMIN" ? "Demote" : "Promote"}
              action={setRoleAction}
              hiddenFields={{ ...hidden, role: user.role === "ADMIN" ? "USER" : "ADMIN" }}
            />
          </div>
        }
      />
      <NoticeAlert searchParams={query} />
      {report ? (
        <Alert
          tone={
            report.committed !== false && report.providers.every((p) => p.revocation === "revoked" || p.revocation === "nothing_to_revoke")
              ? "success"
              : "warning"
          }
        >
          <div data-testid="revoke-all-report" className="space-y-1">
            <p className="font-medium">
              {report.committed === false ? "Revoke all failed; nothing was revoked" : "Everything was revoked"} {formatRelativeTime(lastRevokeAll!.createdAt)}.
            </p>
            <ul className="list-disc pl-5">
              {report.providers.map((p) => (
                <li key={p.provider}>
                  {p.provider}: {describeProviderRevocation(p)}
                </li>
              ))}
              <li>{plural(report.revokedPats, "personal access token")} revoked</li>
              {report.revokedAppGrants !== undefined ? <li>{plural(report.revokedAppGrants, "application authorization")} revoked</li> : null}
              <li>{plural(report.endedSessions, "session")} ended</li>
            </ul>
          </div>
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Security</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <details data-testid="stored-provider-tokens">
            <summary className="cursor-pointer">
              Stored provider tokens: <strong>{describeStoredTokens(storedTokens)}</strong>
            </summary>
            <ul className="mt-2 list-disc pl-6 text-sm">
              {storedTokens.map((s) => (
                <li key={s.provider}>
                  {s.label}: {s.tokenNames.join(", ")}
                </li>
              ))}
            </ul>
          </details>
          <p className="text-sm">
            Active sessions: <strong data-testid="active-sessions">{activeSessions}</strong>
          </p>
          <details data-testid="app-grants">
            <summary className="cursor-pointer">
              Authorized applications: <strong data-testid="app-grant-count">{appGrants.length}</strong>
            </summary>
            <ul className="mt-2 list-disc pl-6 text-sm">
              {appGrants.map((grant, index) => (
                <li key={index}>
                  {grant.name}: {grant.scopes.join(" ")}
                </li>
              ))}
            </ul>
          </details>
          <div className="flex flex-wrap gap-2">
            {activeSessions ? (
              <ConfirmDialog
                triggerLabel="End sessions"
                triggerVariant="secondary"
                title="Sign this user out everywhere?"
                description="Every session ends; the user must sign in again."
                confirmLabel="End sessions"
                action={endSessionsAction}
                hiddenFields={hidden}
              />
            ) : null}
          </div>
        </CardContent>
      </Card>

      <PendingRevocations userId={user.id} connections={connections} retryAction={retryRevocationAction} deleteAction={deleteWithoutRevocationAction} />

      <Card>
        <CardHeader>
          <CardTitle>Linked providers</CardTitle>
        </CardHeader>
        <CardContent>
          <ul className="space-y-2 text-sm">
            {connections
              .filter((c) => c.status !== "not_linked")
              .map((c) => (
                <li key={c.provider} className="flex flex-wrap items-center gap-3">
                  <span className="w-24 font-medium">{c.label}</span>
                  <Badge tone={c.status === "api_access" ? "green" : c.status === "needs_reconnect" || c.revocation ? "amber" : "gray"}>
                    {c.status.replaceAll("_", " ")}
                  </Badge>
                  {c.tokenNames.length && !c.revocation ? (
                    <ConfirmDialog
                      triggerLabel={`Revoke ${c.label} tokens`}
                      title={`Revoke ${user.email}'s ${c.label} tokens?`}
                      description="Deletes the stored tokens and revokes them at the provider where possible."
                      confirmLabel="Revoke"
                      action={revokeProviderAction}
                      hiddenFields={{ ...hidden, provider: c.provider }}
                    />
                  ) : null}
                </li>
              ))}
          </ul>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Services that obtained this user&apos;s tokens (last 30 days)</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm" data-testid="admin-service-usage">
          {Object.keys(serviceUsage).length === 0 ? <p className="text-gray-500 dark:text-gray-400">None.</p> : null}
          {Object.entries(serviceUsage).map(([provider, services]) => (
            <div key={provider} className="space-y-1">
              <p className="font-medium">{providerLabel(provider)}</p>
              <ServiceUsageList provider={provider} services={services} />
            </div>
          ))}
        </CardContent>
      </Card>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Personal access tokens</h2>
        {pats.length ? (
          <TokenTable tokens={pats} revokeAction={revokePatAction} extraHiddenFields={hidden} />
        ) : (
          <p className="text-sm text-gray-600 dark:text-gray-400">None.</p>
        )}
      </section>

      <RecentAuditEvents events={recentEvents} label="Recent audit events">
        <Link href={`/admin/audit?subject=${encodeURIComponent(user.id)}`} className="text-sm text-indigo-700 dark:text-indigo-300 underline">
          All events about this person
        </Link>
      </RecentAuditEvents>
    </div>
  );
}
