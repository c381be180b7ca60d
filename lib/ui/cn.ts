export type ClassValue = string | number | false | null | undefined;

/**
 * Joins class names, dropping falsy ones: `cn("a", cond && "b", undefined)` → "a b".
 * It does not resolve Tailwind conflicts (no tailwind-merge here), so primitives keep their
 * defaults free of anything a caller is likely to override.
 */
export function cn(...classes: ClassValue[]): string {
  let out = "";
  for (const value of classes) {
    if (!value && value !== 0) continue;
    out = out ? `${out} ${value}` : String(value);
  }
  return out;
}
