import type { Metadata } from "next";
import { ApplicationsTabs } from "@/components/applications/applications-tabs";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listAuthorizedApplications } from "@/lib/oauth-apps/authorized-applications";
import { requireViewer } from "@/lib/auth/viewer";
import { formatDateTime, formatRelativeTime } from "@/lib/ui/format";
import { revokeGrantAction } from "../actions";

export const metadata: Metadata = { title: "Authorized applications" };

export default async function AuthorizedApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/applications/authorized");
  const [params, grants] = await Promise.all([searchParams, listAuthorizedApplications(viewer.id)]);
  return (
    <div className="space-y-6">
      <PageHeader title="Applications" description="Applications you allowed to use Tessera's API as you. Revoking ends their tokens at once." />
      <ApplicationsTabs active="/settings/applications/authorized" />
      <NoticeAlert searchParams={params} />
      {grants.length === 0 ? (
        <EmptyState
          title="No authorized applications"
          description="When you approve an application on Tessera's consent screen, it appears here with what it may do."
        />
      ) : (
        <Table label="Authorized applications">
          <THead>
            <TR>
              <TH>Application</TH>
              <TH>Scopes</TH>
              <TH>First authorized</TH>
              <TH>Last used</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {grants.map((grant) => (
              <TR key={grant.grantId} data-testid={`authorized-${grant.application.name}`}>
                <TD>
                  <span className="font-medium">{grant.application.name}</span>
                  {grant.application.status === "disabled" ? (
                    <>
                      {" "}
                      <Badge tone="red">disabled</Badge>
                    </>
                  ) : null}
                  <div className="text-xs text-gray-500 dark:text-gray-400">by {grant.application.ownerName ?? "unknown"}</div>
                </TD>
                <TD label="Scopes" className="font-mono text-xs">
                  {grant.scopes.join(" ")}
                </TD>
                <TD label="First authorized" className="text-sm">
                  {formatDateTime(grant.firstAuthorizedAt)}
                </TD>
                <TD label="Last used" className="text-sm">
                  {grant.lastUsedAt ? formatRelativeTime(grant.lastUsedAt) : "never used"}
                </TD>
                <TD>
                  <ConfirmDialog
                    triggerLabel="Revoke"
                    title={`Revoke ${grant.application.name}?`}
                    description="Its access and refresh tokens stop working on their next request. It can only act for you again if you authorize it again."
                    confirmLabel="Revoke access"
                    action={revokeGrantAction}
                    hiddenFields={{ grantId: grant.grantId }}
                  />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
