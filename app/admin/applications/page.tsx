import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { SubmitButton } from "@/components/ui/submit-button";
import { adminUserPath } from "@/lib/admin/admin-user-path";
import { listAllApplications } from "@/lib/oauth-apps/list-applications";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/ui/format";
import { setApplicationStatusAction } from "./actions";

export const metadata: Metadata = { title: "Applications · Admin" };

export default async function AdminApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminViewer("/admin/applications");
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" ? params.cursor : null;
  const { applications, nextCursor } = await listAllApplications(cursor);
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/applications" />
      <PageHeader title="Applications" description="Third-party applications people registered, with their owners and how many people authorized each. Disabling one stops its tokens at once." />
      <NoticeAlert searchParams={params} />
      {applications.length === 0 ? (
        <EmptyState title="No applications" description="Nobody has registered an application yet (Settings → Applications)." />
      ) : (
        <>
          <Table>
            <THead>
              <TR>
                <TH>Application</TH>
                <TH>Owner</TH>
                <TH>Users</TH>
                <TH>Status</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {applications.map((app) => (
                <TR key={app.id} data-testid={`admin-application-${app.name}`}>
                  <TD>
                    <span className="font-medium">{app.name}</span> <Badge tone="gray">{app.confidential ? "confidential" : "public"}</Badge>
                    <code className="block text-xs text-gray-500">{app.clientId}</code>
                    <span className="block text-xs text-gray-500">registered {formatDate(app.createdAt)}</span>
                  </TD>
                  <TD className="text-sm">
                    <Link className="text-indigo-700 underline" href={adminUserPath({ userId: app.owner.id })}>
                      {app.owner.email ?? app.owner.name ?? app.owner.id}
                    </Link>
                  </TD>
                  <TD className="text-sm">{app.authorizedUsers}</TD>
                  <TD>
                    <Badge tone={app.status === "active" ? "green" : "red"}>{app.status}</Badge>
                  </TD>
                  <TD>
                    {app.status === "active" ? (
                      <ConfirmDialog
                        triggerLabel="Disable"
                        title={`Disable ${app.name}?`}
                        description={`Its tokens are refused at their next use and nobody can authorize it (${app.authorizedUsers} user(s) affected). You can enable it again.`}
                        confirmLabel="Disable application"
                        action={setApplicationStatusAction}
                        hiddenFields={{ applicationId: app.id, status: "DISABLED" }}
                      />
                    ) : (
                      <form action={setApplicationStatusAction}>
                        <input type="hidden" name="applicationId" value={app.id} />
                        <input type="hidden" name="status" value="ACTIVE" />
                        <SubmitButton size="sm" variant="secondary">
                          Enable
                        </SubmitButton>
                      </form>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination prevHref={cursor ? "/admin/applications" : null} prevLabel="← First page" nextHref={nextCursor ? `/admin/applications?cursor=${nextCursor}` : null} />
        </>
      )}
    </div>
  );
}
