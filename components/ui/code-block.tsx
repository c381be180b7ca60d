import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";
import { CopyButton } from "./copy-button";

/**
 * Monospace text on a dark background: commands, tokens shown once, JSON. `copy` adds a Copy
 * button for the exact text. Other props (e.g. `data-testid`, `aria-label`) go on the `<pre>`.
 */
export function CodeBlock({
  children,
  copy = false,
  copyLabel,
  copyAutoFocus = false,
  className,
  ...props
}: Omit<ComponentProps<"pre">, "children"> & { children: string; copy?: boolean; copyLabel?: string; copyAutoFocus?: boolean }) {
  return (
    <div className="flex items-start gap-2">
      <pre
        // Scrollable regions must be reachable by keyboard.
        tabIndex={0}
        className={cn(
          "min-w-0 flex-1 overflow-x-auto rounded-md bg-gray-900 dark:bg-black dark:ring-1 dark:ring-gray-700 px-3 py-2.5 font-mono text-xs leading-relaxed text-gray-100",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400",
          className,
        )}
        {...props}
      >
        <code>{children}</code>
      </pre>
      {copy ? <CopyButton value={children} label={copyLabel} autoFocus={copyAutoFocus} /> : null}
    </div>
  );
}
