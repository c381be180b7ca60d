import type { HTMLAttributes } from "react";
import { cn } from "@/lib/ui/cn";
import { CopyButton } from "./copy-button";

export function CodeBlock({ children, copy = false, className, ...props }: HTMLAttributes<HTMLPreElement> & { children: string; copy?: boolean }) {
  return (
    <div className="flex items-start gap-2">
      <pre className={cn("flex-1 overflow-x-auto rounded-md bg-gray-900 px-3 py-2 font-mono text-xs text-gray-100", className)} {...props}>
        <code>{children}</code>
      </pre>
      {copy ? <CopyButton value={children} /> : null}
    </div>
  );
}
