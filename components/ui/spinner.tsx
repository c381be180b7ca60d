import { cn } from "@/lib/ui/cn";

const SIZES = { sm: "size-4", md: "size-6" } as const;

/**
 * A spinning ring. With a `label` (default "Loading") it is a `role="status"` that screen readers
 * announce; with `label={null}` it is decoration, for use inside a button that already says "Working…".
 */
export function Spinner({ size = "sm", label = "Loading", className }: { size?: keyof typeof SIZES; label?: string | null; className?: string }) {
  const ring = (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" className={cn("animate-spin", SIZES[size], className)}>
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeWidth="3" className="opacity-25" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
  if (label === null) return ring;
  return (
    <span role="status" className="inline-flex items-center">
      {ring}
      <span className="sr-only">{label}</span>
    </span>
  );
}
