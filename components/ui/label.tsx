import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

/** A form label: pass `htmlFor` the control's id, or wrap the control. */
export function Label({ className, ...props }: ComponentProps<"label">) {
  return <label className={cn("block text-sm font-medium text-gray-800 dark:text-gray-200", className)} {...props} />;
}
