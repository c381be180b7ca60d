"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * Takes focus when it appears: the outcome of an action that replaced what had focus (a revoked row, a closed
 * dialog) is where the person continues, and a screen reader reads it. Not a tab stop (tabIndex -1).
 */
export function FocusOnMount({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div ref={ref} tabIndex={-1} className={className ?? "focus:outline-none"}>
      {children}
    </div>
  );
}
