import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

const TONES = {
  green: "bg-green-50 text-green-800 ring-green-600/25",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/35",
  red: "bg-red-50 text-red-800 ring-red-600/25",
  gray: "bg-gray-100 text-gray-700 ring-gray-500/25",
  blue: "bg-blue-50 text-blue-800 ring-blue-600/25",
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
