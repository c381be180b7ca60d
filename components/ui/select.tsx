import type { ComponentProps } from "react";
import { cn } from "@/lib/ui/cn";
import { fieldClasses } from "./input";

/** A native `<select>` (keyboard and screen-reader behaviour for free). Width is up to the caller. */
export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn("block pr-8", fieldClasses, className)} {...props} />;
}
