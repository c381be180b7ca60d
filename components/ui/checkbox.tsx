import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

/** A native checkbox; wrap it in a `<label>` with its text, or give it an id and a `<Label htmlFor>`. */
export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <input
      type="checkbox"
      className={cn(
        "mt-0.5 size-4 shrink-0 cursor-pointer rounded border-gray-300 dark:border-gray-700 accent-indigo-600",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400 disabled:cursor-not-allowed",
        className,
      )}
      {...props}
    />
  );
}
