import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { ApplicationAdminActions } from "@/components/admin/application-admin-actions";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { SubmitButton } from "@/components/ui/submit-button";
import { adminUserPath } from "@/lib/admin/admin-user-path";
import { listAllApplications } from "@/lib/oauth-apps/list-applications";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { formatDate } from "@/lib/ui/format";
import { getClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { deleteUnownedApplicationAction, setApplicationStatusAction, setClientRegistrationPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Applications · Admin" };

const REGISTRATION_LABELS = {
  manual: "registered by hand",
  dynamic: "registered itself (RFC 7591)",
  metadata_document: "metadata document (client_id URL)",
} as const;

export default async function AdminApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminViewer("/admin/applications");
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" ? params.cursor : null;
  const [{ applications, nextCursor }, policy] = await Promise.all([listAllApplications(cursor), getClientRegistrationPolicy()]);
  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/applications" />
      <PageHeader
        title="Applications"
        description="Third-party applications: those people registered, those that registered themselves (RFC 7591) and those known by their metadata document URL, with how many people authorized each. Disabling one stops its tokens at once."
      />
      <NoticeAlert searchParams={params} />
      <form
        action={setClientRegistrationPolicyAction}
        className="flex flex-wrap items-end gap-3 rounded-md border border-gray-200 dark:border-gray-800 p-4"
        data-testid="client-registration-policy"
      >
        <div className="min-w-0 space-y-1">
          <Label htmlFor="client-registration-policy">Dynamic client registration (RFC 7591)</Label>
          <Select id="client-registration-policy" name="policy" defaultValue={policy} className="w-full">
            <option value="open">Open: anyone may register a public client (confidential ones need an admin)</option>
            <option value="admins_only">Admins only</option>
            <option value="off">Off</option>
          </Select>
          <p className="text-xs text-gray-600 dark:text-gray-400">
            Clients with an https client_id (metadata documents) are accepted whatever this says; disable one below to keep it out.
          </p>
        </div>
        <SubmitButton size="sm" variant="secondary">
          Save policy
        </SubmitButton>
      </form>
      {applications.length === 0 ? (
        <EmptyState title="No applications" description="Nobody has registered an application yet (Settings → Applications)." />
      ) : (
        <>
          <Table label="Applications">
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
                    <Link
                      href={`/admin/applications/${app.id}`}
                      className="font-medium text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline"
                    >
                      {app.name}
                    </Link>{" "}
                    <Badge tone="gray">{app.confidential ? "confidential" : "public"}</Badge>
                    <code className="block text-xs text-gray-500 dark:text-gray-400">{app.clientId}</code>
                    <span className="block text-xs text-gray-500 dark:text-gray-400">registered {formatDate(app.createdAt)}</span>
                  </TD>
                  <TD label="Owner" className="text-sm">
                    {app.owner ? (
                      <Link className="text-indigo-700 dark:text-indigo-300 underline" href={adminUserPath({ userId: app.owner.id })}>
                        {app.owner.email ?? app.owner.name ?? app.owner.id}
                      </Link>
                    ) : (
                      <span className="text-gray-600 dark:text-gray-400">nobody here</span>
                    )}
                    <span className="block text-xs text-gray-500 dark:text-gray-400" data-testid="admin-application-registration">
                      {REGISTRATION_LABELS[app.registration]}
                    </span>
                  </TD>
                  <TD label="Users" className="text-sm">
                    {app.authorizedUsers}
                  </TD>
                  <TD label="Status">
                    <Badge tone={app.status === "active" ? "green" : "red"}>{app.status}</Badge>
                  </TD>
                  <TD>
                    <ApplicationAdminActions app={app} deleteAction={deleteUnownedApplicationAction} setStatusAction={setApplicationStatusAction} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination
            prevHref={cursor ? "/admin/applications" : null}
            prevLabel="First page"
            nextHref={nextCursor ? `/admin/applications?cursor=${nextCursor}` : null}
          />
        </>
      )}
    </div>
  );
}
