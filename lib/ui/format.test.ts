import { describe, expect, it } from "vitest";
import { cn } from "./cn";
import { formatDate, formatDateTime, formatDaysUntil, formatRelativeTime } from "./format";

const now = new Date("2026-11-23T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatRelativeTime", () => {
  it("says how long ago or until", () => {
    expect(formatRelativeTime(at(-3 * HOUR), now)).toBe("3 hours ago");
    expect(formatRelativeTime(at(5 * DAY), now)).toBe("in 5 days");
    expect(formatRelativeTime(at(-10_000), now)).toBe("just now");
    expect(formatRelativeTime(at(10_000), now)).toBe("just now");
    expect(formatRelativeTime(at(-1 * MINUTE), now)).toBe("1 minute ago");
    expect(formatRelativeTime(at(-1 * DAY), now)).toBe("1 day ago");
    expect(formatRelativeTime(at(-60 * DAY), now)).toBe("2 months ago");
    expect(formatRelativeTime(at(400 * DAY), now)).toBe("in 1 year");
  });

  it("moves up a unit instead of saying 60 minutes", () => {
    expect(formatRelativeTime(at(-59 * MINUTE), now)).toBe("1 hour ago");
    expect(formatRelativeTime(at(-23 * HOUR), now)).toBe("1 day ago");
  });

  it("accepts ISO strings and survives bad input", () => {
    expect(formatRelativeTime(at(-2 * DAY).toISOString(), now)).toBe("2 days ago");
    expect(formatRelativeTime("not a date", now)).toBe("—");
  });
});

describe("formatDate", () => {
  it("prints day, short month and year in UTC", () => {
    expect(formatDate(now)).toBe("23 Nov 2026");
    expect(formatDate("2026-01-05T23:59:00Z")).toBe("5 Jan 2026");
    expect(formatDateTime(now)).toBe("23 Nov 2026, 12:00 UTC");
  });
});

describe("formatDaysUntil", () => {
  it("says when a token expires", () => {
    expect(formatDaysUntil(at(12 * DAY + 3 * HOUR), now)).toBe("expires in 12 days");
    expect(formatDaysUntil(at(1 * DAY), now)).toBe("expires in 1 day");
    expect(formatDaysUntil(at(HOUR), now)).toBe("expires today");
    expect(formatDaysUntil(at(-2 * DAY - 3 * HOUR), now)).toBe("expired 2 days ago");
    expect(formatDaysUntil(at(-HOUR), now)).toBe("expired today");
  });

  it("does not lose a day to the milliseconds since creation", () => {
    expect(formatDaysUntil(at(30 * DAY - 1500), now)).toBe("expires in 30 days");
  });
});

describe("cn", () => {
  it("joins truthy class names", () => {
    expect(cn("a", false, null, undefined, "", "b", 0)).toBe("a b 0");
    expect(cn()).toBe("");
  });
});
