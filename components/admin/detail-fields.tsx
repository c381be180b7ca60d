import Link from "next/link";
import type { ReactNode } from "react";

/** An object's fields on its admin detail page: term and value side by side, stacked on a phone. */
export function DetailFields({ fields, label }: { fields: [string, ReactNode][]; label: string }) {
  return (
    <dl
      aria-label={label}
      className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-4 text-sm sm:grid-cols-[12rem_1fr]"
    >
      {fields.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="font-medium text-gray-600 dark:text-gray-400">{term}</dt>
          <dd className="min-w-0 text-gray-900 dark:text-gray-100 [overflow-wrap:anywhere]">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** "← Webhooks": back to the list the detail page belongs to. */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="text-sm text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline">
      <span aria-hidden="true">←</span> {children}
    </Link>
  );
}
