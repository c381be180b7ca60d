import type { ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

/** "Nothing here yet", with what to do about it. `children` holds e.g. a curl example or a button. */
export function EmptyState({ title, description, children, className }: { title: string; description?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <div
      className={cn(
        "space-y-3 rounded-lg border border-dashed border-gray-300 dark:border-gray-700 bg-white dark:bg-gray-900 px-6 py-10 text-center",
        className,
      )}
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className="mx-auto size-8 text-gray-400 dark:text-gray-500"
      >
        <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
        <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" strokeDasharray="2 2" />
        <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" strokeDasharray="2 2" />
        <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
      </svg>
      <h3 className="text-base font-semibold text-gray-900 dark:text-gray-100">{title}</h3>
      {description ? <p className="mx-auto max-w-prose text-sm text-gray-600 dark:text-gray-400">{description}</p> : null}
      {children ? <div className="mx-auto max-w-2xl pt-1 text-left">{children}</div> : null}
    </div>
  );
}
