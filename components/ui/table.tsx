import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

/*
 * Below the `sm` breakpoint (phones) every row is a stacked card: the header row is hidden and each cell
 * shows its own `label`, so a row's buttons sit on screen instead of past a sideways scroll (issue 25).
 * The classes live on the table because server components cannot pass a "stacked" flag down by context.
 */
const STACKED = cn(
  "max-sm:block max-sm:divide-y-0 max-sm:[&_thead]:hidden max-sm:[&_tbody]:block max-sm:[&_tbody]:divide-y max-sm:[&_tr]:block max-sm:[&_tr]:py-2",
  "max-sm:[&_td]:block max-sm:[&_td]:py-1.5",
);

/**
 * A bordered table with an accessible name (`label`). On wide screens it scrolls sideways inside its own
 * region, which is keyboard-focusable (a scrollable region must be); on phones its rows stack (see STACKED).
 * `caption` is for screen readers (visually hidden) unless `showCaption`.
 */
export function Table({
  className,
  label,
  caption,
  showCaption = false,
  children,
  ...props
}: ComponentProps<"table"> & { label: string; caption?: ReactNode; showCaption?: boolean }) {
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400"
    >
      <table className={cn("min-w-full divide-y divide-gray-200 dark:divide-gray-800 text-sm", STACKED, className)} {...props}>
        {caption ? (
          <caption className={cn("px-4 py-2 text-left text-sm text-gray-600 dark:text-gray-400", !showCaption && "sr-only")}>{caption}</caption>
        ) : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("bg-gray-50 dark:bg-gray-800", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-gray-100 dark:divide-gray-800", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("hover:bg-gray-50/60 dark:hover:bg-gray-800/40", className)} {...props} />;
}

/** A header cell, `scope="col"` unless told otherwise. */
export function TH({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return (
    <th
      scope={scope}
      className={cn("px-4 py-2 text-left text-xs font-semibold tracking-wide text-gray-600 dark:text-gray-400 uppercase", className)}
      {...props}
    />
  );
}

// The column's name above a cell's content on a phone, as generated content: it stays out of the cell's text.
const CELL_LABEL =
  "max-sm:before:block max-sm:before:text-xs max-sm:before:font-semibold max-sm:before:tracking-wide max-sm:before:text-gray-500 dark:max-sm:before:text-gray-400 max-sm:before:uppercase max-sm:before:content-[attr(data-label)]";

/** A cell; `label` (usually its column's header) is shown above the content only when the table is stacked on a phone. */
export function TD({ className, label, ...props }: ComponentProps<"td"> & { label?: string }) {
  return <td data-label={label} className={cn("px-4 py-3 align-top text-gray-800 dark:text-gray-200", label && CELL_LABEL, className)} {...props} />;
}
