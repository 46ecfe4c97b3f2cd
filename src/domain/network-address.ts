/**
 * Which IP addresses a shared sandbox must not send webhooks to (`WEBHOOK_ALLOW_PRIVATE=false`):
 * loopback, private and link-local, and the other special-purpose ranges a
 * request could use to reach the sandbox's own network (IANA IPv4 and IPv6 Special-Purpose
 * Address Registries, RFC 6890). Matching is Node's `net.BlockList`.
 */
import { BlockList, isIP } from 'node:net';

/** One refused range and the name a problem detail gives it. */
interface RefusedRange {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  kind: string;
}

const REFUSED: readonly RefusedRange[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', kind: 'an unspecified ("this network") address' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', kind: 'a private address (RFC 1918)' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', kind: 'a shared (carrier-grade NAT) address (RFC 6598)' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', kind: 'a loopback address' },
  { network: '169.254.0.0', prefix: 16, family: 'ipv4', kind: 'a link-local address' },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', kind: 'a private address (RFC 1918)' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', kind: 'an IETF protocol assignment address' },
  { network: '192.0.2.0', prefix: 24, family: 'ipv4', kind: 'a documentation address (RFC 5737)' },
  { network: '192.88.99.0', prefix: 24, family: 'ipv4', kind: 'a 6to4 relay anycast address (RFC 7526)' },
  { network: '198.51.100.0', prefix: 24, family: 'ipv4', kind: 'a documentation address (RFC 5737)' },
  { network: '203.0.113.0', prefix: 24, family: 'ipv4', kind: 'a documentation address (RFC 5737)' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', kind: 'a private address (RFC 1918)' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', kind: 'a benchmarking address (RFC 2544)' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', kind: 'a multicast address' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', kind: 'a reserved address' },
  { network: '::', prefix: 128, family: 'ipv6', kind: 'an unspecified address' },
  { network: '::1', prefix: 128, family: 'ipv6', kind: 'a loopback address' },
  // Embeddings of IPv4 addresses (which may be private) and other special-purpose IPv6 blocks.
  { network: '::', prefix: 96, family: 'ipv6', kind: 'an IPv4-compatible address (deprecated, RFC 4291)' },
  { network: '64:ff9b::', prefix: 96, family: 'ipv6', kind: 'a NAT64 address (RFC 6052)' },
  { network: '64:ff9b:1::', prefix: 48, family: 'ipv6', kind: 'a local-use NAT64 address (RFC 8215)' },
  { network: '100::', prefix: 64, family: 'ipv6', kind: 'a discard-only address (RFC 6666)' },
  { network: '2001::', prefix: 23, family: 'ipv6', kind: 'an IETF protocol assignment address (Teredo and others)' },
  { network: '2001:db8::', prefix: 32, family: 'ipv6', kind: 'a documentation address (RFC 3849)' },
  { network: '2002::', prefix: 16, family: 'ipv6', kind: 'a 6to4 address (RFC 3056)' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', kind: 'a unique local (private) address (RFC 4193)' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', kind: 'a link-local address' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', kind: 'a multicast address' },
];

const lists = REFUSED.map((range) => {
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.family);
  return { list, range };
});

/**
 * Why `address` is refused as a webhook destination (for example "a loopback address"),
 * or null when it is a public address. IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`)
 * (`::ffff:7f00:1`) are judged by their IPv4 address. Anything that is not an IP address is refused.
 */
export function refusedAddressKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // BlockList matches IPv4-mapped IPv6 addresses (::ffff:7f00:1) against IPv4 subnets itself.
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, range } of lists) {
    if (list.check(address, type)) return range.kind;
  }
  return null;
}
