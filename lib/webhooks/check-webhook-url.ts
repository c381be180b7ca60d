import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/*
 * SSRF: a webhook URL is a request Tessera makes on an admin's behalf from inside the network. Only
 * http(s), no credentials in the URL, and no address in loopback, private, link-local (cloud metadata
 * 169.254.169.254), CGNAT, multicast or unspecified ranges — checked on the literal host and on every
 * address the name resolves to, at registration and again before each delivery (a name that starts
 * resolving inward is caught then; what remains is the race between that lookup and fetch's own).
 * TESSERA_WEBHOOK_ALLOW_PRIVATE=1 lifts the address check: the demo and the tests deliver to
 * 127.0.0.1, and an operator whose receivers live on the internal network can opt in explicitly.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export function privateAddressesAllowed(): boolean {
  return process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE === "1";
}

/** The URL's shape alone (no DNS): what the API validates synchronously. */
export function checkWebhookUrlShape(raw: string): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "only http and https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed (use the signing secret)" };
  if (url.hash) return { ok: false, reason: "a fragment is not allowed" };
  return { ok: true, url };
}

function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) {
    // IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, "ipv4");
    return blocked.check(address, "ipv6");
  }
  return true;
}

/** A slow resolver must not hold an admin's request or a delivery job (the POST's own timeout starts later). */
export const DNS_TIMEOUT_MS = 5_000;
class DnsTimeout extends Error {}

async function resolveWithin(host: string, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsTimeout()), ms);
  });
  try {
    return await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Shape, then the addresses the host resolves to. */
export async function checkWebhookUrl(raw: string): Promise<WebhookUrlCheck> {
  const shape = checkWebhookUrlShape(raw);
  if (!shape.ok || privateAddressesAllowed()) return shape;
  const host = shape.url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolveWithin(host, DNS_TIMEOUT_MS)).map((entry) => entry.address);
    } catch (error) {
      return { ok: false, reason: error instanceof DnsTimeout ? `the host name did not resolve within ${DNS_TIMEOUT_MS} ms` : "the host name does not resolve" };
    }
  }
  if (addresses.length === 0 || addresses.some(isBlockedAddress)) return { ok: false, reason: "the host is a loopback, private or link-local address (set TESSERA_WEBHOOK_ALLOW_PRIVATE=1 to allow)" };
  return shape;
}
