import type { HTMLAttributes } from "react";
import { cn } from "@/lib/ui/cn";

type DivProps = HTMLAttributes<HTMLDivElement>;

export function Card({ className, ...props }: DivProps) {
  return <div className={cn("rounded-lg border border-gray-200 bg-white shadow-sm", className)} {...props} />;
}
export function CardHeader({ className, ...props }: DivProps) {
  return <div className={cn("space-y-1 border-b border-gray-100 px-5 py-4", className)} {...props} />;
}
export function CardTitle({ className, ...props }: HTMLAttributes<HTMLHeadingElement>) {
  return <h2 className={cn("text-base font-semibold text-gray-900", className)} {...props} />;
}
export function CardDescription({ className, ...props }: DivProps) {
  return <div className={cn("text-sm text-gray-600", className)} {...props} />;
}
export function CardContent({ className, ...props }: DivProps) {
  return <div className={cn("px-5 py-4", className)} {...props} />;
}
export function CardFooter({ className, ...props }: DivProps) {
  return <div className={cn("border-t border-gray-100 px-5 py-3", className)} {...props} />;
}
