import type { LabelHTMLAttributes } from "react";
import { cn } from "@/lib/ui/cn";

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={cn("block text-sm font-medium text-gray-800", className)} {...props} />;
}
