import type { ComponentProps, ReactNode } from "react";
import { cn } from "@/lib/ui/cn";

/** A bordered, horizontally scrollable table. `caption` is for screen readers (visually hidden) unless `showCaption`. */
export function Table({
  className,
  caption,
  showCaption = false,
  children,
  ...props
}: ComponentProps<"table"> & { caption?: ReactNode; showCaption?: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-gray-200 bg-white shadow-sm">
      <table className={cn("min-w-full divide-y divide-gray-200 text-sm", className)} {...props}>
        {caption ? <caption className={cn("px-4 py-2 text-left text-sm text-gray-600", !showCaption && "sr-only")}>{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("bg-gray-50", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-gray-100", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("hover:bg-gray-50/60", className)} {...props} />;
}

/** A header cell, `scope="col"` unless told otherwise. */
export function TH({ className, scope = "col", ...props }: ComponentProps<"th">) {
  return <th scope={scope} className={cn("px-4 py-2 text-left text-xs font-semibold tracking-wide text-gray-600 uppercase", className)} {...props} />;
}

export function TD({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("px-4 py-3 align-top text-gray-800", className)} {...props} />;
}
