import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

const TONES = {
  green: "bg-green-50 dark:bg-green-950/50 text-green-800 dark:text-green-200 ring-green-600/25 dark:ring-green-400/30",
  amber: "bg-amber-50 dark:bg-amber-950/50 text-amber-900 dark:text-amber-200 ring-amber-600/35 dark:ring-amber-400/30",
  red: "bg-red-50 dark:bg-red-950/50 text-red-800 dark:text-red-200 ring-red-600/25 dark:ring-red-400/30",
  gray: "bg-gray-100 dark:bg-gray-800 text-gray-700 dark:text-gray-300 ring-gray-500/25 dark:ring-gray-400/30",
  blue: "bg-blue-50 dark:bg-blue-950/50 text-blue-800 dark:text-blue-200 ring-blue-600/25 dark:ring-blue-400/30",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "gray", className, ...props }: ComponentProps<"span"> & { tone?: BadgeTone }) {
  return (
    <span
      className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", TONES[tone], className)}
      {...props}
    />
  );
}
