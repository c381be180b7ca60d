import type { ReactNode } from "react";
import { AuditEventTable, adminPartyHref } from "@/components/audit/audit-event-table";
import type { AuditEventView } from "@/lib/audit/describe-audit-events";

/**
 * The "Recent audit events" section of an admin detail page (a user, a service, an application, a webhook): the
 * latest events by or about it, linking to the people and objects they name; `children` go below (e.g. a link to all).
 */
export function RecentAuditEvents({ events, label, children }: { events: AuditEventView[]; label: string; children?: ReactNode }) {
  return (
    <section className="space-y-2">
      <h2 className="text-lg font-semibold">Recent audit events</h2>
      {events.length ? (
        <AuditEventTable events={events} label={label} hrefFor={adminPartyHref} />
      ) : (
        <p className="text-sm text-gray-600 dark:text-gray-400">No events yet.</p>
      )}
      {children}
    </section>
  );
}
