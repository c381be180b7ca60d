import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";

export function Card({ className, ...props }: ComponentProps<"div">) {
  return (
    <div className={cn("flex flex-col rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 shadow-sm", className)} {...props} />
  );
}

export function CardHeader({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("space-y-1 border-b border-gray-100 dark:border-gray-800 px-5 py-4", className)} {...props} />;
}

/** An `<h2>` by default; pass `as="h3"` when the card sits under a section heading. */
export function CardTitle({ as: Heading = "h2", className, ...props }: ComponentProps<"h2"> & { as?: "h2" | "h3" | "h4" }) {
  return <Heading className={cn("text-base font-semibold text-gray-900 dark:text-gray-100", className)} {...props} />;
}

/** A `<div>` rather than a `<p>`, so it may hold badges, lists or links. */
export function CardDescription({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("text-sm text-gray-600 dark:text-gray-400", className)} {...props} />;
}

export function CardContent({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("flex-1 px-5 py-4", className)} {...props} />;
}

export function CardFooter({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("flex items-center gap-2 border-t border-gray-100 dark:border-gray-800 px-5 py-3", className)} {...props} />;
}
