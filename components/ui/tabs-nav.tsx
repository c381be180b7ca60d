import Link from "next/link";
import { cn } from "@/lib/ui/cn";

export type TabsNavItem = { href: string; label: string; count?: number };

/**
 * Links that look like tabs (each is a page of its own, so these are links, not ARIA tabs).
 * `active` is the href of the current tab; it gets `aria-current="page"`.
 */
export function TabsNav({ tabs, active, label = "Sections", className }: { tabs: readonly TabsNavItem[]; active: string; label?: string; className?: string }) {
  return (
    <nav aria-label={label} className={cn("border-b border-gray-200 dark:border-gray-800", className)}>
      <ul className="-mb-px flex gap-6 overflow-x-auto">
        {tabs.map((tab) => {
          const current = tab.href === active;
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "inline-flex items-center gap-2 border-b-2 px-1 py-2.5 text-sm font-medium whitespace-nowrap transition-colors",
                  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400",
                  current
                    ? "border-indigo-600 dark:border-indigo-400 text-indigo-700 dark:text-indigo-300"
                    : "border-transparent text-gray-600 dark:text-gray-400 hover:border-gray-300 dark:hover:border-gray-700 hover:text-gray-900 dark:hover:text-gray-100",
                )}
              >
                {tab.label}
                {tab.count !== undefined ? (
                  <span
                    className={cn(
                      "rounded-full px-2 py-0.5 text-xs",
                      current
                        ? "bg-indigo-50 dark:bg-indigo-950/50 text-indigo-700 dark:text-indigo-300"
                        : "bg-gray-100 dark:bg-gray-800 text-gray-600 dark:text-gray-400",
                    )}
                  >
                    {tab.count}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
