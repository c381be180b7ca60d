import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isPublicAddress, privateAddressesAllowed } from "./webhook-address-policy";

/*
 * SSRF: a webhook URL is a request Tessera makes on an admin's behalf from inside the network. Only
 * http(s), no credentials in the URL, and only public addresses (webhook-address-policy.ts) — checked on the
 * literal host and on every address the name resolves to, at registration and again before each delivery.
 * A delivery resolves the name once and connects to exactly the addresses it checked (send-webhook-request.ts),
 * so a name that answers "public" to the check and "private" a moment later (DNS rebinding) gains nothing.
 * TESSERA_WEBHOOK_ALLOW_PRIVATE=1 lifts the address check: the demo and the tests deliver to
 * 127.0.0.1, and an operator whose receivers live on the internal network can opt in explicitly.
 */

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };
export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Every address a host name resolves to (dns.lookup with all: true); injectable so tests can play a rebinding resolver. */
export type WebhookResolver = (host: string) => Promise<{ address: string; family: number }[]>;
export type WebhookTarget = { ok: true; url: URL; addresses: ResolvedAddress[] } | { ok: false; reason: string };

const systemResolver: WebhookResolver = (host) => lookup(host, { all: true, verbatim: true });

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

/** A slow resolver must not hold an admin's request or a delivery job (the POST's own timeout starts later). */
export const DNS_TIMEOUT_MS = 5_000;
class DnsTimeout extends Error {}

async function resolveWithin(resolve: WebhookResolver, host: string, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsTimeout()), ms);
  });
  try {
    return await Promise.race([resolve(host), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const PRIVATE_ADDRESS_REASON =
  "the host is a loopback, private, link-local or otherwise non-public address (set TESSERA_WEBHOOK_ALLOW_PRIVATE=1 to allow)";

/**
 * Shape, then one resolution of the host: the addresses a delivery must connect to, all of them public
 * (unless TESSERA_WEBHOOK_ALLOW_PRIVATE=1, when they are resolved and returned unjudged).
 * `isAllowedAddress` is for tests only (a loopback address standing in for a public one).
 */
export async function resolveWebhookTarget(
  raw: string,
  options: { resolve?: WebhookResolver; isAllowedAddress?: (address: string) => boolean } = {},
): Promise<WebhookTarget> {
  const shape = checkWebhookUrlShape(raw);
  if (!shape.ok) return shape;
  const host = shape.url.hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal) addresses = [{ address: host, family: literal as 4 | 6 }];
  else {
    try {
      const answers = await resolveWithin(options.resolve ?? systemResolver, host, DNS_TIMEOUT_MS);
      addresses = answers.flatMap((entry) => {
        const family = isIP(entry.address);
        return family ? [{ address: entry.address, family: family as 4 | 6 }] : [];
      });
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof DnsTimeout ? `the host name did not resolve within ${DNS_TIMEOUT_MS} ms` : "the host name does not resolve",
      };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: "the host name does not resolve" };
  const allowed = options.isAllowedAddress ?? isPublicAddress;
  if (!privateAddressesAllowed() && !addresses.every((entry) => allowed(entry.address))) return { ok: false, reason: PRIVATE_ADDRESS_REASON };
  return { ok: true, url: shape.url, addresses };
}

/** Registration: shape, then (unless private addresses are allowed) the addresses the host resolves to. */
export async function checkWebhookUrl(raw: string): Promise<WebhookUrlCheck> {
  const shape = checkWebhookUrlShape(raw);
  if (!shape.ok || privateAddressesAllowed()) return shape;
  const target = await resolveWebhookTarget(raw);
  return target.ok ? { ok: true, url: target.url } : target;
}
