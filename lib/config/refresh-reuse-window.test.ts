import { describe, expect, it } from "vitest";
import { parseRefreshReuseWindowSeconds, REFRESH_REUSE_WINDOW_VARIABLE, RefreshReuseWindowError, refreshReuseWindowSeconds } from "./refresh-reuse-window";
import { StartupConfigError } from "./startup-config-error";

const env = (value: string | undefined) => ({ [REFRESH_REUSE_WINDOW_VARIABLE]: value });

describe("TESSERA_REFRESH_REUSE_WINDOW_SECONDS", () => {
  it("defaults to 30 s when unset or blank", () => {
    expect(parseRefreshReuseWindowSeconds({})).toBe(30);
    expect(parseRefreshReuseWindowSeconds(env(""))).toBe(30);
    expect(parseRefreshReuseWindowSeconds(env("  "))).toBe(30);
  });

  it("accepts whole seconds from 0 to 300", () => {
    expect(parseRefreshReuseWindowSeconds(env("0"))).toBe(0);
    expect(parseRefreshReuseWindowSeconds(env(" 5 "))).toBe(5);
    expect(parseRefreshReuseWindowSeconds(env("300"))).toBe(300);
  });

  it.each(["-1", "1.5", "301", "1e2", "0x10", "thirty", "Infinity", "10s"])("refuses %s at startup, naming the variable", (value) => {
    expect(() => parseRefreshReuseWindowSeconds(env(value))).toThrow(RefreshReuseWindowError);
    expect(() => parseRefreshReuseWindowSeconds(env(value))).toThrow(StartupConfigError);
    expect(() => parseRefreshReuseWindowSeconds(env(value))).toThrow(/TESSERA_REFRESH_REUSE_WINDOW_SECONDS must be a whole number of seconds/);
  });

  it("falls back to no window (the strict behaviour) for request handling when the value is invalid", () => {
    expect(refreshReuseWindowSeconds(env("301"))).toBe(0);
    expect(refreshReuseWindowSeconds(env("12"))).toBe(12);
  });
});
