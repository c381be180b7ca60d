import type { Metadata } from "next";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { auditQuerySchema, listAuditEvents } from "@/lib/admin/list-audit-events";
import { AUDIT_ACTIONS } from "@/lib/audit/record-audit-event";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";
import { formatDateTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Audit log · Admin" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminViewer("/admin/audit");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, value]) => typeof value === "string" && value !== ""));
  const parsed = auditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const [{ events, nextCursor }, services] = await Promise.all([listAuditEvents(query), listServiceClients()]);
  const filters = new URLSearchParams(Object.entries(query).filter(([key, value]) => key !== "cursor" && value) as [string, string][]);

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/audit" />
      <PageHeader
        title="Audit log"
        description="Every change to a credential and every admin action, newest first. Append-only: nothing here can be edited or deleted."
      />
      {!parsed.success ? <p className="text-sm text-red-700 dark:text-red-300">Some filters were not valid and were ignored.</p> : null}
      <form className="grid grid-cols-1 gap-3 md:grid-cols-7 md:items-end" role="search">
        <label className="text-sm md:col-span-1">
          Subject user id
          <Input name="subject" defaultValue={query.subject ?? ""} />
        </label>
        <label className="text-sm md:col-span-1">
          Actor id
          <Input name="actor" defaultValue={query.actor ?? ""} />
        </label>
        <label className="text-sm md:col-span-1">
          Action
          <Select name="action" defaultValue={query.action ?? ""} className="w-full">
            <option value="">any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm md:col-span-1">
          Service
          <Select name="service" defaultValue={query.service ?? ""} className="w-full">
            <option value="">any</option>
            {services.map((service) => (
              <option key={service.id} value={service.id}>
                {service.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          From
          <Input type="date" name="from" defaultValue={query.from ?? ""} />
        </label>
        <label className="text-sm">
          To
          <Input type="date" name="to" defaultValue={query.to ?? ""} />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {events.length === 0 ? (
        <EmptyState title="No events" description="Nothing matches these filters." />
      ) : (
        <>
          <Table label="Audit events">
            <THead>
              <TR>
                <TH>Time</TH>
                <TH>Action</TH>
                <TH>Actor</TH>
                <TH>Subject</TH>
                <TH>Provider / tokens</TH>
                <TH>IP</TH>
              </TR>
            </THead>
            <TBody>
              {events.map((event) => (
                <TR key={event.id} data-testid="audit-row">
                  <TD className="whitespace-nowrap text-xs">{formatDateTime(event.createdAt)}</TD>
                  <TD label="Action">
                    <code className="text-xs break-all">{event.action}</code>
                  </TD>
                  <TD label="Actor" className="text-xs break-all">
                    {event.actorType}
                    {event.actorId ? ` ${event.actorId}` : ""}
                  </TD>
                  <TD label="Subject" className="text-xs break-all">
                    {event.subjectUserId ?? "—"}
                  </TD>
                  <TD label="Provider / tokens" className="text-xs">
                    {event.provider ?? ""} {event.tokenNames.join(", ")}
                  </TD>
                  <TD label="IP" className="text-xs">
                    {event.ip ?? ""}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination
            prevLabel="Newest"
            prevHref={query.cursor ? `/admin/audit?${filters}` : null}
            nextHref={nextCursor ? `/admin/audit?${filters}&cursor=${nextCursor}` : null}
          />
        </>
      )}
    </div>
  );
}
