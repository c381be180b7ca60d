import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { ApplicationAdminActions } from "@/components/admin/application-admin-actions";
import { BackLink, DetailFields } from "@/components/admin/detail-fields";
import { RecentAuditEvents } from "@/components/admin/recent-audit-events";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { adminUserPath } from "@/lib/admin/admin-user-path";
import { listObjectAuditEvents } from "@/lib/admin/list-object-audit-events";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { getAdminApplication } from "@/lib/oauth-apps/list-applications";
import { formatDateTime } from "@/lib/ui/format";
import { deleteUnownedApplicationAction, setApplicationStatusAction } from "../actions";

export const metadata: Metadata = { title: "Application · Admin" };

const REGISTRATION_LABELS = {
  manual: "registered by hand",
  dynamic: "registered itself (RFC 7591)",
  metadata_document: "metadata document (client_id URL)",
} as const;

/** One application: its fields, its actions and the latest events by or about it. */
export default async function ApplicationDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminViewer(`/admin/applications/${encodeURIComponent(id)}`);
  const app = await getAdminApplication(id);
  if (!app) notFound();
  const events = await listObjectAuditEvents({ kind: "application", id });

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/applications" />
      <BackLink href="/admin/applications">Applications</BackLink>
      <PageHeader title={app.name} description={app.description ?? "A third-party application."} />
      <DetailFields
        label="Application"
        fields={[
          ["Client id", <code key="client">{app.clientId}</code>],
          [
            "Status",
            <Badge key="status" tone={app.status === "active" ? "green" : "red"}>
              {app.status}
            </Badge>,
          ],
          ["Kind", `${app.confidential ? "confidential" : "public"} client, ${REGISTRATION_LABELS[app.registration]}`],
          [
            "Owner",
            app.owner ? (
              <Link key="owner" className="text-indigo-700 dark:text-indigo-300 underline" href={adminUserPath({ userId: app.owner.id })}>
                {app.owner.email ?? app.owner.name ?? "unnamed account"}
              </Link>
            ) : (
              "nobody here"
            ),
          ],
          ["People who authorized it", String(app.authorizedUsers)],
          ["Redirect URIs", app.redirectUris.join(", ") || "none"],
          ["Default scopes", app.defaultScopes.join(", ") || "none"],
          ["Homepage", app.homepageUrl ?? "—"],
          ["Registered", formatDateTime(app.createdAt)],
        ]}
      />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Actions</h2>
        <div className="flex flex-wrap items-center gap-2">
          <ApplicationAdminActions app={app} deleteAction={deleteUnownedApplicationAction} setStatusAction={setApplicationStatusAction} />
        </div>
      </section>
      <RecentAuditEvents events={events} label="Recent audit events of this application" />
    </div>
  );
}
