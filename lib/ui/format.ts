const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });

/** "3 hours ago", "in 5 days", "just now". */
export function formatRelativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "minute") return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "23 Nov 2026" (UTC, so server and browser agree). */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

const DAY = 24 * 3600 * 1000;

/** "expires in 12 days", "expires today", "expired 2 days ago". */
export function formatDaysUntil(date: Date, now: Date = new Date()): string {
  const ms = date.getTime() - now.getTime();
  if (ms <= 0) {
    const days = Math.floor(-ms / DAY);
    return days === 0 ? "expired today" : `expired ${days} day${days === 1 ? "" : "s"} ago`;
  }
  const days = Math.floor(ms / DAY);
  return days === 0 ? "expires today" : `expires in ${days} day${days === 1 ? "" : "s"}`;
}
