import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

const TONES = {
  info: {
    box: "border-blue-200 dark:border-blue-800 bg-blue-50 dark:bg-blue-950/50 text-blue-900 dark:text-blue-200",
    icon: "text-blue-600 dark:text-blue-400",
    path: "M12 8h.01M11 12h1v5h1",
  },
  success: {
    box: "border-green-200 dark:border-green-800 bg-green-50 dark:bg-green-950/50 text-green-900 dark:text-green-200",
    icon: "text-green-600 dark:text-green-400",
    path: "M8 12.5l2.5 2.5L16 9.5",
  },
  warning: {
    box: "border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/50 text-amber-950 dark:text-amber-100",
    icon: "text-amber-600 dark:text-amber-400",
    path: "M12 7.5v5.5M12 16.5h.01",
  },
  error: {
    box: "border-red-200 dark:border-red-800 bg-red-50 dark:bg-red-950/50 text-red-900 dark:text-red-200",
    icon: "text-red-600 dark:text-red-400",
    path: "M9 9l6 6M15 9l-6 6",
  },
} as const;

export type AlertTone = keyof typeof TONES;

/**
 * A message box. Errors are `role="alert"` (announced at once); the other tones are
 * `role="status"` (announced politely). Pass `role` to override, e.g. `role="note"` for static text.
 */
export function Alert({ tone = "info", title, className, children, ...props }: Omit<ComponentProps<"div">, "title"> & { tone?: AlertTone; title?: ReactNode }) {
  const style = TONES[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cn("flex gap-3 rounded-md border px-4 py-3 text-sm", style.box, className)} {...props}>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        className={cn("mt-px size-4 shrink-0", style.icon)}
      >
        <circle cx="12" cy="12" r="9.5" />
        <path d={style.path} />
      </svg>
      <div className="min-w-0 flex-1 space-y-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        <div>{children}</div>
      </div>
    </div>
  );
}
