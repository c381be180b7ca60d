import { plural } from "./plural";

/** Anything a date can arrive as from a server component: a Date, an ISO string or epoch milliseconds. */
export type DateInput = Date | string | number;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

function isValid(date: Date): boolean {
  return !Number.isNaN(date.getTime());
}

/**
 * "just now", "5 minutes ago", "3 hours ago", "in 5 days", "2 months ago", "in 1 year".
 * Rounds to the nearest unit and moves up a unit before the rounded value gets silly
 * (never "60 minutes ago": 45 minutes and more is "1 hour ago").
 */
export function formatRelativeTime(date: DateInput, now: DateInput = new Date()): string {
  const target = toDate(date);
  const reference = toDate(now);
  if (!isValid(target) || !isValid(reference)) return "—";
  const ms = target.getTime() - reference.getTime();
  const abs = Math.abs(ms);
  if (abs < 45 * SECOND) return "just now";

  let text: string;
  const minutes = Math.max(1, Math.round(abs / MINUTE));
  const hours = Math.round(abs / HOUR);
  const days = Math.round(abs / DAY);
  const months = Math.round(abs / (30.44 * DAY));
  if (minutes < 45) text = plural(minutes, "minute");
  else if (hours < 22) text = plural(Math.max(1, hours), "hour");
  else if (days < 26) text = plural(Math.max(1, days), "day");
  else if (months < 11) text = plural(Math.max(1, months), "month");
  else text = plural(Math.max(1, Math.round(abs / (365.25 * DAY))), "year");

  return ms < 0 ? `${text} ago` : `in ${text}`;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** "23 Nov 2026". In UTC, so the server's render and the browser's hydration agree. */
export function formatDate(date: DateInput): string {
  const value = toDate(date);
  return isValid(value) ? dateFormat.format(value) : "—";
}

/** "23 Nov 2026, 14:05 UTC": for audit entries and title tooltips where the time matters. */
export function formatDateTime(date: DateInput): string {
  const value = toDate(date);
  return isValid(value) ? `${dateTimeFormat.format(value)} UTC` : "—";
}

/**
 * "expires in 12 days", "expires today", "expired 2 days ago", "expired today".
 * Whole days, rounded: a token created "for 30 days" reads "expires in 30 days" straight away,
 * not 29. "today" means less than half a day either side.
 */
export function formatDaysUntil(date: DateInput, now: DateInput = new Date()): string {
  const target = toDate(date);
  const reference = toDate(now);
  if (!isValid(target) || !isValid(reference)) return "—";
  const ms = target.getTime() - reference.getTime();
  const days = Math.round(Math.abs(ms) / DAY);
  if (ms > 0) return days === 0 ? "expires today" : `expires in ${plural(days, "day")}`;
  return days === 0 ? "expired today" : `expired ${plural(days, "day")} ago`;
}
