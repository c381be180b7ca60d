import { expect, it } from "vitest";
import { isAllowedBrowserOrigin } from "./is-allowed-browser-origin";

it("refuses a rebound name (Host and Origin agree on evil.example) unless it is the configured AUTH_URL", () => {
  // Without AUTH_URL the issuer comes from the Host header, so a rebinding page makes both say evil.example.
  expect(isAllowedBrowserOrigin("http://evil.example.com", "http://evil.example.com", {})).toBe(false);
  expect(isAllowedBrowserOrigin("http://localhost:3000", "http://localhost:3000", {})).toBe(true);
  expect(isAllowedBrowserOrigin("http://127.0.0.1:3000", "http://127.0.0.1:3000", {})).toBe(true);
  expect(isAllowedBrowserOrigin("http://[::1]:3000", "http://[::1]:3000", {})).toBe(true);
  // Another origin than Tessera's own: never.
  expect(isAllowedBrowserOrigin("http://localhost:9999", "http://localhost:3000", {})).toBe(false);
  // With AUTH_URL the issuer is the configured origin, whatever the Host: that name is Tessera's.
  expect(isAllowedBrowserOrigin("https://tessera.example", "https://tessera.example", { AUTH_URL: "https://tessera.example" })).toBe(true);
});
