import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

/** A grey pulsing placeholder block, hidden from screen readers; size it with `className` (e.g. "h-4 w-48"). */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded-md bg-gray-200 dark:bg-gray-700", className)} {...props} />;
}
