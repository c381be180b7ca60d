import { describe, expect, it } from "vitest";
import { formatDate, formatDaysUntil, formatRelativeTime } from "./format";

const now = new Date("2026-11-23T12:00:00Z");

describe("formatting for people", () => {
  it("says how long ago or until", () => {
    expect(formatRelativeTime(new Date(now.getTime() - 3 * 3600_000), now)).toBe("3 hours ago");
    expect(formatRelativeTime(new Date(now.getTime() + 5 * 86400_000), now)).toBe("in 5 days");
    expect(formatRelativeTime(new Date(now.getTime() - 10_000), now)).toBe("just now");
  });

  it("says when a token expires", () => {
    expect(formatDaysUntil(new Date(now.getTime() + 12.5 * 86400_000), now)).toBe("expires in 12 days");
    expect(formatDaysUntil(new Date(now.getTime() + 3600_000), now)).toBe("expires today");
    expect(formatDaysUntil(new Date(now.getTime() - 2.5 * 86400_000), now)).toBe("expired 2 days ago");
    expect(formatDate(now)).toBe("23 Nov 2026");
  });
});
