import type { ReactNode } from "react";

export function EmptyState({ title, description, children }: { title: string; description: string; children?: ReactNode }) {
  return (
    <div className="space-y-3 rounded-lg border border-dashed border-gray-300 bg-white px-6 py-8 text-center">
      <h3 className="text-base font-semibold text-gray-900">{title}</h3>
      <p className="mx-auto max-w-prose text-sm text-gray-600">{description}</p>
      {children ? <div className="mx-auto max-w-2xl text-left">{children}</div> : null}
    </div>
  );
}
