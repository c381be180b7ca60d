import type { Metadata } from "next";
import Link from "next/link";
import { AuditEventTable } from "@/components/audit/audit-event-table";
import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { requireViewer } from "@/lib/auth/viewer";
import { AUDIT_KINDS, type AuditKind } from "@/lib/audit/describe-audit-action";
import { listSecurityLog, securityLogQuerySchema } from "@/lib/audit/list-security-log";
import { cn } from "@/lib/ui/cn";

export const metadata: Metadata = { title: "Security log" };

export default async function SecurityLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/security");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, value]) => typeof value === "string" && value !== ""));
  const parsed = securityLogQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const { events, nextCursor } = await listSecurityLog(viewer.id, query);
  const base = query.kind ? `/settings/security?kind=${query.kind}` : "/settings/security";
  const kinds: [AuditKind | null, string][] = [[null, "Everything"], ...(Object.entries(AUDIT_KINDS) as [AuditKind, string][])];

  return (
    <div className="space-y-6">
      <PageHeader
        title="Security log"
        description="What happened to your account, newest first: sign-ins and sign-outs, tokens created and revoked, accounts connected, applications and services that used your access."
      />
      {!parsed.success ? <p className="text-sm text-red-700 dark:text-red-300">That filter was not valid and was ignored.</p> : null}
      <nav aria-label="Filter by kind">
        <ul className="flex flex-wrap gap-2 text-sm">
          {kinds.map(([kind, label]) => {
            const current = (query.kind ?? null) === kind;
            return (
              <li key={kind ?? "all"}>
                <Link
                  href={kind ? `/settings/security?kind=${kind}` : "/settings/security"}
                  aria-current={current ? "page" : undefined}
                  className={cn(
                    "inline-block rounded-full border px-3 py-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400",
                    current
                      ? "border-indigo-600 dark:border-indigo-400 bg-indigo-50 dark:bg-indigo-950/50 text-indigo-800 dark:text-indigo-200"
                      : "border-gray-300 dark:border-gray-700 text-gray-700 dark:text-gray-300 hover:bg-gray-100 dark:hover:bg-gray-800",
                  )}
                >
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {events.length === 0 ? (
        <EmptyState title="Nothing yet" description={query.kind ? "No events of this kind on your account." : "No events on your account yet."} />
      ) : (
        <>
          <AuditEventTable events={events} label="Your security events" you={viewer.id} />
          <Pagination
            prevLabel="Newest"
            prevHref={query.cursor ? base : null}
            nextHref={nextCursor ? `${base}${query.kind ? "&" : "?"}cursor=${nextCursor}` : null}
          />
        </>
      )}
    </div>
  );
}
