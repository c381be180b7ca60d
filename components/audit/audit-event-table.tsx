import Link from "next/link";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AuditEventView, AuditParty } from "@/lib/audit/describe-audit-events";
import { describeTokenNames } from "@/lib/ui/describe-token-names";
import { formatDateTime } from "@/lib/ui/format";

/** Where a party links to (the admin pages link people, services, applications and webhooks to their detail pages). */
export type PartyHref = (party: AuditParty) => string | undefined;

function Party({ party, hrefFor, you }: { party: AuditParty; hrefFor?: PartyHref; you?: string }) {
  const href = hrefFor?.(party);
  const label = you && party.kind === "user" && party.id === you ? "You" : party.label;
  return (
    <span className="block">
      {href ? (
        <Link href={href} className="font-medium text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline">
          {label}
        </Link>
      ) : (
        <span className="font-medium">{label}</span>
      )}
      {party.secondary && label !== "You" ? <span className="block text-xs text-gray-600 dark:text-gray-400">{party.secondary}</span> : null}
    </span>
  );
}

/**
 * Audit events as a table people read (issue 25): the action in words, who did it and to whom by name, never an id.
 * Long names and addresses wrap inside their cell (no clipping at 1280 px); on a phone the rows stack (components/ui/table).
 * `you`: the viewer's id on their own security log, shown as "You".
 */
export function AuditEventTable({ events, label, hrefFor, you }: { events: AuditEventView[]; label: string; hrefFor?: PartyHref; you?: string }) {
  return (
    <Table label={label} className="table-fixed max-sm:table-auto">
      <THead>
        <TR>
          <TH className="w-[8.5rem]">When</TH>
          <TH className="w-[24%]">Event</TH>
          <TH>By</TH>
          <TH>About</TH>
          <TH className="w-[8rem]">From</TH>
        </TR>
      </THead>
      <TBody>
        {events.map((event) => (
          <TR key={event.id} data-testid="audit-row" data-action={event.action}>
            <TD label="When" className="text-xs">
              <time dateTime={event.createdAt.toISOString()}>{formatDateTime(event.createdAt)}</time>
            </TD>
            <TD label="Event" className="[overflow-wrap:anywhere]">
              <span className="font-medium">{event.actionLabel}</span>
              {event.provider || event.tokenNames.length ? (
                <span className="block text-xs text-gray-600 dark:text-gray-400">
                  {[event.provider, event.tokenNames.length ? (event.provider ? describeTokenNames(event.tokenNames) : event.tokenNames.join(", ")) : null]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              ) : null}
            </TD>
            <TD label="By" className="[overflow-wrap:anywhere]">
              <Party party={event.actor} hrefFor={hrefFor} you={you} />
            </TD>
            <TD label="About" className="[overflow-wrap:anywhere]">
              {event.subject && event.subject.id === event.actor.id ? (
                <span className="block text-gray-600 dark:text-gray-400">{event.subject.id === you ? "Your account" : "Their own account"}</span>
              ) : event.subject ? (
                <Party party={event.subject} hrefFor={hrefFor} you={you} />
              ) : null}
              {event.target ? <Party party={event.target} hrefFor={hrefFor} you={you} /> : null}
              {!event.subject && !event.target ? <span className="text-gray-500 dark:text-gray-400">—</span> : null}
            </TD>
            <TD label="From" className="text-xs [overflow-wrap:anywhere]">
              {event.ip ?? <span className="text-gray-500 dark:text-gray-400">—</span>}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** The admin pages' links: a person to their security page; a service, an application or a webhook to its detail page. */
export const adminPartyHref: PartyHref = (party) => {
  if (!party.id) return undefined;
  const id = encodeURIComponent(party.id);
  switch (party.kind) {
    case "user":
      return `/admin/users/${id}`;
    case "service":
      return `/admin/services/${id}`;
    case "application":
      return `/admin/applications/${id}`;
    case "webhook":
      return `/admin/webhooks/${id}`;
    default:
      return undefined;
  }
};
