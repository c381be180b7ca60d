import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { AuditEventTable, adminPartyHref } from "@/components/audit/audit-event-table";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { LoadingSection } from "@/components/ui/loading-section";
import { Select } from "@/components/ui/select";
import { auditQuerySchema, describeAuditFilterIds, listAuditEvents, type AuditQuery } from "@/lib/admin/list-audit-events";
import { groupedAuditActions } from "@/lib/audit/describe-audit-action";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";

export const metadata: Metadata = { title: "Audit log · Admin" };

function filtersOf(query: AuditQuery): URLSearchParams {
  return new URLSearchParams(Object.entries(query).filter(([key, value]) => key !== "cursor" && value) as [string, string][]);
}

/** The id filters' chips and the events: the slow part, streamed in below the filters. */
async function AuditEvents({ query }: { query: AuditQuery }) {
  const [{ events, nextCursor }, idFilters] = await Promise.all([listAuditEvents(query), describeAuditFilterIds(query)]);
  const filters = filtersOf(query);
  const without = (key: string) => {
    const rest = new URLSearchParams(filters);
    rest.delete(key);
    return `/admin/audit${rest.size ? `?${rest}` : ""}`;
  };
  return (
    <>
      {idFilters.subject || idFilters.actor ? (
        <ul className="flex flex-wrap gap-2 text-sm" aria-label="Other filters">
          {(
            [
              ["subject", "About", idFilters.subject],
              ["actor", "By", idFilters.actor],
            ] as const
          ).map(([key, word, name]) =>
            name ? (
              <li key={key} className="rounded-full bg-gray-100 dark:bg-gray-800 px-3 py-1">
                {word} {name}{" "}
                <Link href={without(key)} className="text-indigo-700 dark:text-indigo-300 underline">
                  remove
                </Link>
              </li>
            ) : null,
          )}
        </ul>
      ) : null}
      {events.length === 0 ? (
        <EmptyState
          title="No events"
          description={query.person ? `Nothing matches these filters (is ${query.person} someone's address here?).` : "Nothing matches these filters."}
        />
      ) : (
        <>
          <AuditEventTable events={events} label="Audit events" hrefFor={adminPartyHref} />
          <Pagination
            prevLabel="Newest"
            prevHref={query.cursor ? `/admin/audit${filters.size ? `?${filters}` : ""}` : null}
            nextHref={nextCursor ? `/admin/audit?${filters}${filters.size ? "&" : ""}cursor=${nextCursor}` : null}
          />
        </>
      )}
    </>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminViewer("/admin/audit");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, value]) => typeof value === "string" && value !== ""));
  const parsed = auditQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const services = await listServiceClients();
  const filters = filtersOf(query);

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/audit" />
      <PageHeader
        title="Audit log"
        description="Every change to a credential and every admin action, newest first. Append-only: nothing here can be edited or deleted."
      />
      {!parsed.success ? <p className="text-sm text-red-700 dark:text-red-300">Some filters were not valid and were ignored.</p> : null}
      <form className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end" role="search" aria-label="Filter the audit log">
        {query.subject ? <input type="hidden" name="subject" value={query.subject} /> : null}
        {query.actor ? <input type="hidden" name="actor" value={query.actor} /> : null}
        <label className="text-sm lg:col-span-2">
          Person (email)
          <Input type="search" name="person" defaultValue={query.person ?? ""} placeholder="alice@example.com" autoComplete="off" />
        </label>
        <label className="text-sm lg:col-span-2">
          Action
          <Select name="action" defaultValue={query.action ?? ""} className="w-full">
            <option value="">Any action</option>
            {groupedAuditActions().map((group) => (
              <optgroup key={group.kind} label={group.label}>
                {group.actions.map((action) => (
                  <option key={action.value} value={action.value}>
                    {action.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        </label>
        <label className="text-sm lg:col-span-2">
          Service
          <Select name="service" defaultValue={query.service ?? ""} className="w-full">
            <option value="">Any service</option>
            {services.map((service) => (
              <option key={service.id} value={service.id}>
                {service.name}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm lg:col-span-2">
          From
          <Input type="date" name="from" defaultValue={query.from ?? ""} />
        </label>
        <label className="text-sm lg:col-span-2">
          To
          <Input type="date" name="to" defaultValue={query.to ?? ""} />
        </label>
        <div className="flex gap-2 lg:col-span-2">
          <Button type="submit">Filter</Button>
          {filters.size ? (
            <Link href="/admin/audit" className="self-center text-sm text-indigo-700 dark:text-indigo-300 underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </form>
      <LoadingSection name="audit-events" label="audit events" rows={8}>
        <AuditEvents query={query} />
      </LoadingSection>
    </div>
  );
}
