import type { InputHTMLAttributes } from "react";
import { cn } from "@/lib/ui/cn";

export function Checkbox({ className, ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return <input type="checkbox" className={cn("mt-0.5 h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500", className)} {...props} />;
}
