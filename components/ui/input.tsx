import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

/** Shared by Input and Select: border, focus ring, and red when `aria-invalid`. */
export const fieldClasses =
  "rounded-md border border-gray-300 bg-white px-3 py-2 text-sm text-gray-900 shadow-sm placeholder:text-gray-400 " +
  "focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 " +
  "disabled:cursor-not-allowed disabled:bg-gray-50 disabled:text-gray-500 " +
  "aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/30";

/** A text-like `<input>`, full width. Pair with `<Label htmlFor>` and, on error, `aria-invalid` + `aria-describedby` → FieldError id. */
export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return <input type={type} className={cn("block w-full", fieldClasses, className)} {...props} />;
}
