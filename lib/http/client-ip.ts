import { isIP } from "node:net";

/**
 * The caller's address inside the app. `npm start` serves Next through our own HTTP server
 * (lib/runtime/create-app-server.ts), which OVERWRITES X-Forwarded-For with the one address it
 * computed (resolveClientAddress) before Next sees the request, so this reads a value no client can
 * choose. null when that address is unknown (callers then share one "unknown" bucket, never "no limit").
 */
export function clientIp(headers: { get(name: string): string | null }): string | null {
  const forwarded = headers.get("x-forwarded-for");
  return normalizeAddress(forwarded?.split(",").pop() ?? "");
}

/** An IPv4 or IPv6 address (IPv4-mapped IPv6 as plain IPv4), or null. */
export function normalizeAddress(value: string): string | null {
  const address = value.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(address) ? address.toLowerCase() : null;
}

/**
 * The client address for one request, from what the socket and the trusted proxies say:
 * - trustedProxyHops 0 (the default): the socket's peer address, whatever the headers say;
 * - N: the N-th address from the right of X-Forwarded-For (each trusted proxy appends the address
 *   it saw; everything further left was written by the client and is ignored).
 * null when that address is missing or not an IP address.
 */
export function resolveClientAddress(input: {
  socketAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustedProxyHops: number;
}): string | null {
  if (input.trustedProxyHops === 0) return normalizeAddress(input.socketAddress ?? "");
  const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(",") : (input.forwardedFor ?? "");
  const entries = header
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - input.trustedProxyHops];
  return entry === undefined ? null : normalizeAddress(entry);
}

/** TRUSTED_PROXY_HOPS: how many reverse proxies in front of Tessera append to X-Forwarded-For (default 0). */
export function parseTrustedProxyHops(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new Error(`TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (got "${value}")`);
  return hops;
}
