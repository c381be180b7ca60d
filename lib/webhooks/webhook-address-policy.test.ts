import { describe, expect, it } from "vitest";
import { ipv6Groups, isPublicAddress } from "./webhook-address-policy";

/*
 * Mutation check: deleting any rule in webhook-address-policy.ts (an IPv4 subnet, an entry of blockedV6, the
 * 2000::/3 test, or the ::ffff / 64:ff9b embedded-IPv4 branches) turns at least one row below red; before this
 * change the 2002::, 64:ff9b::, ::a.b.c.d, ::ffff:0:a.b.c.d, fec0:: and 2001:db8:: rows were all "public".
 */
const refused: [string, string][] = [
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "this network 0/8"],
  ["10.0.0.1", "RFC 1918 10/8"],
  ["172.16.0.1", "RFC 1918 172.16/12"],
  ["172.31.255.254", "RFC 1918 172.16/12, top"],
  ["192.168.1.1", "RFC 1918 192.168/16"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback, top of 127/8"],
  ["169.254.169.254", "link-local, cloud metadata"],
  ["100.64.0.1", "CGNAT 100.64/10"],
  ["100.127.255.254", "CGNAT, top"],
  ["192.0.0.8", "IETF protocol assignments 192.0.0/24"],
  ["192.0.2.10", "documentation TEST-NET-1"],
  ["198.51.100.10", "documentation TEST-NET-2"],
  ["203.0.113.10", "documentation TEST-NET-3"],
  ["192.88.99.1", "6to4 relay anycast"],
  ["198.18.0.1", "benchmarking 198.18/15"],
  ["198.19.255.254", "benchmarking, top"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast (SSDP)"],
  ["240.0.0.1", "reserved 240/4"],
  ["255.255.255.255", "broadcast"],
  ["::", "IPv6 unspecified"],
  ["::1", "IPv6 loopback"],
  ["fc00::1", "ULA fc00::/7"],
  ["fd12:3456:789a::1", "ULA fd00::/8"],
  ["fd00:ec2::254", "AWS IPv6 metadata (ULA)"],
  ["fe80::1", "link-local fe80::/10"],
  ["febf::1", "link-local, top"],
  ["fe80::1%eth0", "link-local with a zone id"],
  ["fec0::1", "site-local fec0::/10 (deprecated)"],
  ["ff02::1", "multicast ff00::/8"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
  ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["0:0:0:0:0:ffff:192.168.0.1", "IPv4-mapped private, uncompressed"],
  ["::127.0.0.1", "IPv4-compatible loopback"],
  ["::10.0.0.1", "IPv4-compatible private"],
  ["::8.8.8.8", "IPv4-compatible public (deprecated form, refused whatever it embeds)"],
  ["::ffff:0:10.0.0.1", "SIIT IPv4-translated, private"],
  ["::ffff:0:8.8.8.8", "SIIT IPv4-translated, public (refused whatever it embeds)"],
  ["64:ff9b::10.0.0.1", "NAT64 well-known prefix, private embedded"],
  ["64:ff9b::7f00:1", "NAT64 well-known prefix, loopback embedded, hex form"],
  ["64:ff9b::a9fe:a9fe", "NAT64 well-known prefix, metadata embedded"],
  ["64:ff9b:1::1", "NAT64 local-use 64:ff9b:1::/48"],
  ["64:ff9b:1::8.8.8.8", "NAT64 local-use, public embedded (operator-defined mapping)"],
  ["2002:a00:1::1", "6to4 with private 10.0.0.1 embedded"],
  ["2002:7f00:1::", "6to4 with loopback embedded"],
  ["2002:808:808::1", "6to4 with public 8.8.8.8 embedded (refused: see blockedV6)"],
  ["2001:db8::1", "documentation 2001:db8::/32"],
  ["3fff::1", "documentation 3fff::/20"],
  ["2001::1", "Teredo 2001::/32"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo, a real-looking one"],
  ["2001:2::1", "benchmarking 2001:2::/48"],
  ["100::1", "discard-only 100::/64"],
  ["5f00::1", "SRv6 SIDs 5f00::/16"],
  ["localhost", "not an address"],
  ["", "empty"],
];

const allowed: [string, string][] = [
  ["93.184.215.14", "public IPv4"],
  ["8.8.8.8", "public IPv4"],
  ["1.1.1.1", "public IPv4"],
  ["172.32.0.1", "just above 172.16/12"],
  ["100.128.0.1", "just above CGNAT"],
  ["198.20.0.1", "just above benchmarking"],
  ["223.255.255.254", "just below multicast"],
  ["::ffff:8.8.8.8", "IPv4-mapped public"],
  ["64:ff9b::8.8.8.8", "NAT64 well-known prefix, public embedded (the gateway reaches 8.8.8.8, which is fine)"],
  ["2606:4700:4700::1111", "public IPv6"],
  ["2a00:1450:4001:80b::200e", "public IPv6"],
  ["2001:4860:4860::8888", "public IPv6 just outside 2001::/23"],
];

describe("isPublicAddress", () => {
  it.each(refused)("refuses %s (%s)", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
  it.each(allowed)("allows %s (%s)", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("ipv6Groups", () => {
  it("expands compressed, dotted and full forms", () => {
    expect(ipv6Groups("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(ipv6Groups("64:ff9b::10.0.0.1")).toEqual([0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 0x0001]);
    expect(ipv6Groups("2002:a00:1::")).toEqual([0x2002, 0x0a00, 1, 0, 0, 0, 0, 0]);
    expect(ipv6Groups("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ipv6Groups("1.2.3.4")).toBeNull();
  });
});
