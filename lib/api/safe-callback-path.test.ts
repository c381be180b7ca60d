import { describe, expect, it } from "vitest";
import { DEFAULT_CALLBACK_PATH, safeCallbackPath, safeRedirectUrl } from "./safe-callback-path";

const APP = "https://tessera.example";

// Each of these would send a signed-in user off-site (or run script) if used as a redirect target.
const REFUSED: Array<[string, string]> = [
  ["tab after the slash (browsers strip it: //evil)", "/\t/evil.example"],
  ["percent-encoded tab", "/%09/evil.example"],
  ["double-encoded tab", "/%2509/evil.example"],
  ["newline", "/\n/evil.example"],
  ["encoded newline", "/%0a/evil.example"],
  ["carriage return", "/\r/evil.example"],
  ["NUL", "/\u0000/evil.example"],
  ["protocol-relative", "//evil.example"],
  ["protocol-relative with path", "//evil.example/settings"],
  ["slash backslash", "/\\evil.example"],
  ["backslash later in the path", "/settings\\..\\x"],
  ["encoded backslash", "/%5Cevil.example"],
  ["encoded slashes", "/%2F%2Fevil.example"],
  ["encoded slashes (lower case)", "/%2f/evil.example"],
  ["double-encoded slashes", "/%252F%252Fevil.example"],
  ["triple-encoded slashes", "/%25252F%25252Fevil.example"],
  ["space", "/ /evil.example"],
  ["encoded space", "/%20/evil.example"],
  ["non-breaking space", "/\u00a0/evil.example"],
  ["line separator", "/\u2028/evil.example"],
  ["absolute http URL", "http://evil.example/"],
  ["absolute https URL", "https://evil.example/settings"],
  ["absolute URL of the app itself (relative paths only)", `${APP}/settings`],
  ["javascript: URL", "javascript:alert(1)"],
  ["javascript: URL with slashes", "javascript://%0aalert(1)"],
  ["data: URL", "data:text/html,<script>alert(1)</script>"],
  ["relative without a leading slash", "evil.example"],
  ["dot-segments that normalise to //", "/.//evil.example"],
  ["malformed escape", "/%E0%A4%A"],
  ["empty", ""],
  ["too long", `/${"a".repeat(600)}`],
];

const KEPT: Array<[string, string]> = [
  ["root", "/"],
  ["a page", "/settings/connections"],
  ["query string", "/settings/tokens?page=2&sort=created"],
  ["encoded query value", "/admin/users?q=alice%40example.com"],
  ["absolute URL inside the query", "/settings?next=https%3A%2F%2Fother.example%2F"],
  ["fragment", "/settings/tokens#new"],
  ["encoded non-ASCII path", "/admin/users/%C3%A9"],
];

describe("safeCallbackPath", () => {
  it.each(REFUSED)("refuses %s", (_label, value) => {
    expect(safeCallbackPath(value)).toBe(DEFAULT_CALLBACK_PATH);
  });

  it.each(KEPT)("keeps %s", (_label, value) => {
    expect(safeCallbackPath(value)).toBe(value);
  });

  it("refuses non-strings and uses the caller's fallback", () => {
    expect(safeCallbackPath(undefined)).toBe(DEFAULT_CALLBACK_PATH);
    expect(safeCallbackPath(["/a", "/b"])).toBe(DEFAULT_CALLBACK_PATH);
    expect(safeCallbackPath("//evil.example", "/")).toBe("/");
  });

  it("whatever it returns stays on the app's origin when a browser resolves it", () => {
    for (const [, value] of [...REFUSED, ...KEPT]) {
      expect(new URL(safeCallbackPath(value), APP).origin).toBe(APP);
    }
  });
});

describe("safeRedirectUrl (Auth.js callbacks.redirect)", () => {
  it("keeps relative paths and same-origin URLs on the app", () => {
    expect(safeRedirectUrl("/settings/tokens?page=2", APP)).toBe(`${APP}/settings/tokens?page=2`);
    expect(safeRedirectUrl(`${APP}/admin`, APP)).toBe(`${APP}/admin`);
  });

  it.each(REFUSED)("sends %s to the default page", (_label, value) => {
    if (value === `${APP}/settings`) return; // same origin: allowed here (covered above)
    expect(safeRedirectUrl(value, APP)).toBe(`${APP}${DEFAULT_CALLBACK_PATH}`);
  });

  it("refuses other origins, ports and schemes of the same host", () => {
    expect(safeRedirectUrl("https://tessera.example.evil.example/", APP)).toBe(`${APP}${DEFAULT_CALLBACK_PATH}`);
    expect(safeRedirectUrl("https://tessera.example:8443/", APP)).toBe(`${APP}${DEFAULT_CALLBACK_PATH}`);
    expect(safeRedirectUrl("http://tessera.example/", APP)).toBe(`${APP}${DEFAULT_CALLBACK_PATH}`);
    expect(safeRedirectUrl(`${APP}//evil.example`, APP)).toBe(`${APP}${DEFAULT_CALLBACK_PATH}`);
  });
});
