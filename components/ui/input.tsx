import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

/** Shared by Input and Select: border, focus ring, and red when `aria-invalid`. */
export const fieldClasses =
  "rounded-md border border-gray-300 dark:border-gray-700 bg-white dark:bg-gray-900 px-3 py-2 text-sm text-gray-900 dark:text-gray-100 shadow-sm placeholder:text-gray-400 dark:placeholder:text-gray-500 " +
  "focus:border-indigo-500 dark:focus:border-indigo-400 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 dark:focus:ring-indigo-400/30 " +
  "disabled:cursor-not-allowed disabled:bg-gray-50 dark:disabled:bg-gray-800 disabled:text-gray-500 dark:disabled:text-gray-400 " +
  "aria-invalid:border-red-500 dark:aria-invalid:border-red-400 aria-invalid:focus:ring-red-500/30 dark:aria-invalid:focus:ring-red-400/30";

/** A text-like `<input>`, full width. Pair with `<Label htmlFor>` and, on error, `aria-invalid` + `aria-describedby` → FieldError id. */
export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return <input type={type} className={cn("block w-full", fieldClasses, className)} {...props} />;
}
