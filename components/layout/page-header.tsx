import type { ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

/** The page's `<h1>`, a line on what the page is for, and its actions (buttons, links) on the right. */
export function PageHeader({ title, description, actions, className }: { title: string; description?: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <div className={cn("flex flex-wrap items-end justify-between gap-4", className)}>
      <div className="min-w-0 space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-gray-900 dark:text-gray-100">{title}</h1>
        {description ? <p className="max-w-3xl text-sm text-gray-600 dark:text-gray-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
