import Link from "next/link";
import { buttonClasses } from "./button";

export function Pagination({ prevHref, nextHref }: { prevHref: string | null; nextHref: string | null }) {
  if (!prevHref && !nextHref) return null;
  return (
    <nav aria-label="Pagination" className="flex justify-between pt-2">
      {prevHref ? (
        <Link href={prevHref} className={buttonClasses("secondary", "sm")}>
          ← First page
        </Link>
      ) : (
        <span />
      )}
      {nextHref ? (
        <Link href={nextHref} className={buttonClasses("secondary", "sm")}>
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}
