/**
 * A proxied call's time as the usage tables store it. The columns are `timestamp` (UTC, as Prisma writes them): ISO
 * strings without their offset, which PostgreSQL would otherwise ignore anyway.
 */
export function usageTimes(now: Date): { day: string; minute: string; at: string } {
  const iso = now.toISOString();
  return { day: iso.slice(0, 10), minute: `${iso.slice(0, 16)}:00.000`, at: iso.slice(0, 23) };
}
