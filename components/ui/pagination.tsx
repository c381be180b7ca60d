import Link from "next/link";
import { cn } from "@/lib/ui/cn";
import { buttonClasses } from "./button";

/**
 * Previous / Next links for cursor pagination. Either href may be null (that side shows as a
 * disabled label); when both are null nothing is rendered.
 */
export function Pagination({
  prevHref,
  nextHref,
  prevLabel = "Previous",
  nextLabel = "Next",
  className,
}: {
  prevHref: string | null;
  nextHref: string | null;
  prevLabel?: string;
  nextLabel?: string;
  className?: string;
}) {
  if (!prevHref && !nextHref) return null;
  const disabled = cn(buttonClasses("secondary", "sm"), "pointer-events-none opacity-50");
  return (
    <nav aria-label="Pagination" className={cn("flex items-center justify-between gap-2 pt-2", className)}>
      {prevHref ? (
        <Link href={prevHref} rel="prev" className={buttonClasses("secondary", "sm")}>
          <span aria-hidden="true">←</span> {prevLabel}
        </Link>
      ) : (
        <span aria-disabled="true" className={disabled}>
          <span aria-hidden="true">←</span> {prevLabel}
        </span>
      )}
      {nextHref ? (
        <Link href={nextHref} rel="next" className={buttonClasses("secondary", "sm")}>
          {nextLabel} <span aria-hidden="true">→</span>
        </Link>
      ) : (
        <span aria-disabled="true" className={disabled}>
          {nextLabel} <span aria-hidden="true">→</span>
        </span>
      )}
    </nav>
  );
}
