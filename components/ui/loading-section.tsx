import { Suspense, type ReactNode } from "react";
import { holdSectionForE2e } from "@/lib/ui/hold-section-for-e2e";
import { cn } from "@/lib/ui/cn";
import { Skeleton } from "./skeleton";

/**
 * What a slow section shows while its data loads: grey rows in its place and, for screen readers, a busy status
 * saying what is loading ("Loading audit events…").
 */
export function LoadingSkeleton({ label, rows = 5, className }: { label: string; rows?: number; className?: string }) {
  return (
    <div role="status" aria-busy="true" aria-live="polite" className={cn("space-y-3", className)} data-testid="loading-skeleton">
      <span className="sr-only">Loading {label}…</span>
      <Skeleton className="h-8 w-full" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-6 w-full" />
      ))}
    </div>
  );
}

async function Held({ name, children }: { name: string; children: ReactNode }) {
  await holdSectionForE2e(name);
  return children;
}

/**
 * A section that streams in after the rest of the page: the page renders (and authorises) first, this shows
 * `LoadingSkeleton` until `children` (an async server component that reads its own data) is ready. Put it below
 * every check that may answer notFound() or redirect(): the status is sent with the first bytes.
 * `name` lets an e2e test hold the section (lib/ui/hold-section-for-e2e.ts); nothing else uses it.
 * Used on the audit log only, for now: on this 2-core machine, three full e2e runs each saw one client transition
 * never finish on a page with a streamed section (tokens' Revoke and Slack's Disconnect, server actions answered
 * with a redirect; the security log's filter links), the same stall as the route loading.tsx of 982e9ba.
 */
export function LoadingSection({
  name,
  label,
  rows,
  className,
  children,
}: {
  name: string;
  label: string;
  rows?: number;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Suspense fallback={<LoadingSkeleton label={label} rows={rows} className={className} />}>
      <Held name={name}>{children}</Held>
    </Suspense>
  );
}
