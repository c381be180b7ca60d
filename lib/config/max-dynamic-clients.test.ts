import { describe, expect, it } from "vitest";
import { MAX_DYNAMIC_CLIENTS_VARIABLE, MaxDynamicClientsError, maxDynamicClients, parseMaxDynamicClients } from "./max-dynamic-clients";
import { StartupConfigError } from "./startup-config-error";

const env = (value: string | undefined) => ({ [MAX_DYNAMIC_CLIENTS_VARIABLE]: value });

describe("TESSERA_MAX_DYNAMIC_CLIENTS", () => {
  it("defaults to 1000 when unset or blank", () => {
    expect(parseMaxDynamicClients({})).toBe(1000);
    expect(parseMaxDynamicClients(env(""))).toBe(1000);
    expect(parseMaxDynamicClients(env("  "))).toBe(1000);
  });

  it("accepts whole numbers from 1 to 1000000", () => {
    expect(parseMaxDynamicClients(env("1"))).toBe(1);
    expect(parseMaxDynamicClients(env(" 25 "))).toBe(25);
    expect(parseMaxDynamicClients(env("1000000"))).toBe(1_000_000);
  });

  it.each(["0", "-1", "1.5", "1000001", "1e3", "0x10", "many", "Infinity", "10k"])("refuses %s at startup, naming the variable", (value) => {
    expect(() => parseMaxDynamicClients(env(value))).toThrow(MaxDynamicClientsError);
    expect(() => parseMaxDynamicClients(env(value))).toThrow(StartupConfigError);
    expect(() => parseMaxDynamicClients(env(value))).toThrow(/TESSERA_MAX_DYNAMIC_CLIENTS must be a whole number/);
  });

  it("falls back to the default (never to no limit) for request handling when the value is invalid", () => {
    expect(maxDynamicClients(env("-1"))).toBe(1000);
    expect(maxDynamicClients(env("12"))).toBe(12);
  });
});
