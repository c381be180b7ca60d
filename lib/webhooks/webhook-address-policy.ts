import { BlockList, isIP } from "node:net";

/*
 * Which addresses a webhook may be delivered to: the public internet only (SSRF, see check-webhook-url.ts).
 *
 * Hand-written on node:net's BlockList rather than a dependency (ipaddr.js classifies ranges but still leaves
 * every decision below to us, and adding it means a lockfile change): the list is short, and each entry is
 * table-tested in webhook-address-policy.test.ts.
 *
 * IPv4 is a block list of the IANA special-purpose ranges. IPv6 is an allow list: only global unicast
 * (2000::/3) minus its special-purpose blocks, plus two forms that carry an IPv4 address the kernel or a
 * NAT64 gateway will actually connect to (::ffff:a.b.c.d, 64:ff9b::a.b.c.d), judged by that IPv4 address.
 * Everything else — ::, ::1, IPv4-compatible ::a.b.c.d, SIIT ::ffff:0:a.b.c.d, 64:ff9b:1::/48, 100::/64,
 * fc00::/7, fe80::/10, fec0::/10, ff00::/8, 5f00::/16 — lies outside 2000::/3 and is refused without a rule.
 */
const blockedV4 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata 169.254.169.254
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated, RFC 7526)
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation TEST-NET-2
  ["203.0.113.0", 24], // documentation TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
] as const)
  blockedV4.addSubnet(net, prefix, "ipv4");

/*
 * Special-purpose blocks inside 2000::/3. 2002::/16 (6to4) is refused whatever IPv4 it embeds, public included:
 * 6to4 is deprecated (RFC 7526), no real receiver needs it, and 2002:<your own site's public IPv4>::/48 is routed
 * by your own 6to4 router into your internal network. Teredo (2001::/32) is refused for the same reason, with the
 * rest of the IETF protocol block 2001::/23 (benchmarking 2001:2::/48, ORCHID) that holds it.
 */
const blockedV6 = new BlockList();
for (const [net, prefix] of [
  ["2001::", 23], // IETF protocol assignments: Teredo 2001::/32, benchmarking, ORCHID
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4
  ["3fff::", 20], // documentation (RFC 9637)
] as const)
  blockedV6.addSubnet(net, prefix, "ipv6");

/** The eight 16-bit groups of an IPv6 address, or null if it is not one (zone ids included: only link-local has them). */
export function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6 || address.includes("%")) return null;
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, dotted.index) + "0"; // placeholder group, dropped below
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  let groups: number[];
  if (rest === undefined) groups = parse(head);
  else {
    const left = parse(head);
    const right = parse(rest);
    groups = [...left, ...new Array(8 - left.length - right.length - (dotted ? 1 : 0)).fill(0), ...right];
  }
  if (dotted) groups = [...groups.slice(0, -1), ...tail];
  return groups.length === 8 ? groups : null;
}

function embeddedV4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** True when a webhook may connect to this literal address. Anything that is not an IP address is refused. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blockedV4.check(address, "ipv4");
  if (family !== 6) return false;
  const groups = ipv6Groups(address);
  if (!groups) return false;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  // ::ffff:a.b.c.d: the kernel connects to a.b.c.d.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isPublicAddress(embeddedV4(g6, g7));
  // 64:ff9b::a.b.c.d, the NAT64 well-known prefix: the gateway connects to a.b.c.d.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPublicAddress(embeddedV4(g6, g7));
  if ((g0 & 0xe000) !== 0x2000) return false; // outside global unicast 2000::/3
  return !blockedV6.check(address, "ipv6");
}

/** TESSERA_WEBHOOK_ALLOW_PRIVATE=1: the demo, the tests (receivers on 127.0.0.1) and operators with internal receivers. */
export function privateAddressesAllowed(): boolean {
  return process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE === "1";
}
