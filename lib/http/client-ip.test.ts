import { describe, expect, it } from "vitest";
import { clientIp, parseTrustedProxyHops, resolveClientAddress } from "./client-ip";

describe("resolveClientAddress", () => {
  const resolve = (socketAddress: string | undefined, forwardedFor: string | undefined, trustedProxyHops: number) =>
    resolveClientAddress({ socketAddress, forwardedFor, trustedProxyHops });

  it("with no trusted proxy (the default) takes the socket's peer address, whatever X-Forwarded-For says", () => {
    expect(resolve("203.0.113.9", "198.51.100.7", 0)).toBe("203.0.113.9");
    expect(resolve("203.0.113.9", "junk", 0)).toBe("203.0.113.9");
    expect(resolve("::ffff:127.0.0.1", undefined, 0)).toBe("127.0.0.1");
    expect(resolve("::1", "1.2.3.4, 5.6.7.8", 0)).toBe("::1");
    expect(resolve(undefined, "1.2.3.4", 0)).toBeNull();
  });

  it("with N trusted proxies takes the N-th address from the right; what the client wrote further left never counts", () => {
    // The client sent "198.51.100.7" (a victim); the one proxy appended what it saw.
    expect(resolve("10.0.0.2", "198.51.100.7, 203.0.113.66", 1)).toBe("203.0.113.66");
    expect(resolve("10.0.0.2", "198.51.100.7, 203.0.113.66, 10.0.0.9", 2)).toBe("203.0.113.66");
    expect(resolve("10.0.0.2", "203.0.113.66", 2)).toBeNull(); // fewer hops than configured: unknown
    expect(resolve("10.0.0.2", "1.2.3.4, not-an-ip", 1)).toBeNull();
    expect(resolve("10.0.0.2", undefined, 1)).toBeNull();
  });

  it("reads TRUSTED_PROXY_HOPS strictly", () => {
    expect(parseTrustedProxyHops(undefined)).toBe(0);
    expect(parseTrustedProxyHops("")).toBe(0);
    expect(parseTrustedProxyHops("2")).toBe(2);
    for (const bad of ["-1", "1.5", "x", "11"]) expect(() => parseTrustedProxyHops(bad), bad).toThrow(/TRUSTED_PROXY_HOPS/);
  });

  it("clientIp reads the one address the app server wrote; anything else is unknown (null)", () => {
    const headers = (value: string | null) => ({ get: (name: string) => (name === "x-forwarded-for" ? value : null) });
    expect(clientIp(headers("203.0.113.9"))).toBe("203.0.113.9");
    expect(clientIp(headers("unknown"))).toBeNull();
    expect(clientIp(headers(null))).toBeNull();
  });
});
