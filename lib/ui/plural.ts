/**
 * "1 token exchange", "0 token exchanges", "3 addresses": a count with its noun in the right number, so no
 * page says "exchange(s)". `many` is for nouns that do not just take an "s" (address → addresses).
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
