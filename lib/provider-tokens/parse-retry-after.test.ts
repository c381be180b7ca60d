import { expect, it } from "vitest";
import { parseRetryAfter } from "./parse-retry-after";

it("reads Retry-After as seconds or as an HTTP date, and nothing else", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");
  expect(parseRetryAfter("120", now)).toBe(120_000);
  expect(parseRetryAfter(" 0 ", now)).toBe(0);
  expect(parseRetryAfter("Tue, 24 Nov 2026 12:05:00 GMT", now)).toBe(300_000);
  expect(parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", now)).toBe(0);
  expect(parseRetryAfter("-5", now)).toBeNull();
  expect(parseRetryAfter("soon", now)).toBeNull();
  expect(parseRetryAfter(null, now)).toBeNull();
});
