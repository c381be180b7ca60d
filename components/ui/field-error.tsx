import type { ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

/**
 * The error under a form field, or nothing. Give it an `id` and point the field's
 * `aria-describedby` at it (and set `aria-invalid`) so screen readers read it with the field.
 * `messages` takes zod's `flatten().fieldErrors[name]` as is.
 */
export function FieldError({
  id,
  messages,
  children,
  className,
}: {
  id?: string;
  messages?: string | readonly string[] | null;
  children?: ReactNode;
  className?: string;
}) {
  const list = messages == null ? [] : typeof messages === "string" ? [messages] : messages.filter(Boolean);
  if (list.length === 0 && (children === undefined || children === null || children === false || children === "")) return null;
  return (
    <p id={id} className={cn("text-sm text-red-700 dark:text-red-300", className)}>
      {children ?? list.join(" ")}
    </p>
  );
}
