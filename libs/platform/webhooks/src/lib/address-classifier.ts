import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * The SSRF guard's pure half: given the address a host name resolved to, may a webhook connect to it? Only canonical
 * IP strings are accepted — dotted-quad IPv4 in decimal without leading zeros, IPv6 as `node:net` reads it without
 * brackets or a zone id — because the delivery worker classifies the very address it then connects to (the
 * connection is pinned to it). Forms that some resolvers and URL parsers read as IPv4 (`2130706433`, `0x7f.1`,
 * `0177.0.0.1`, `127.1`) are refused as `invalid`, never guessed at. IPv6 addresses that carry an IPv4 address
 * (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by
 * the IPv4 address inside.
 */

export type AddressCategory =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'unique-local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'invalid';

export interface AddressClassification {
  readonly category: AddressCategory;
  /** What was judged: the IPv4 address inside an IPv4-carrying IPv6 address, else the input. */
  readonly judged: string;
  /** Only `public` is reachable without a pmo-admin's permission; `invalid` never is. */
  readonly allowedByDefault: boolean;
}

type Rule = readonly [Exclude<AddressCategory, 'public' | 'invalid'>, string, number];

const IPV4_RULES: readonly Rule[] = [
  ['unspecified', '0.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['cgnat', '100.64.0.0', 10],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '172.16.0.0', 12],
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '192.88.99.0', 24],
  ['private', '192.168.0.0', 16],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4],
];

const IPV6_RULES: readonly Rule[] = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '100::', 64],
  ['reserved', '2001::', 32],
  ['reserved', '2001:db8::', 32],
  ['unique-local', 'fc00::', 7],
  ['link-local', 'fe80::', 10],
  ['reserved', 'fec0::', 10],
  ['multicast', 'ff00::', 8],
];

function listsOf(rules: readonly Rule[], type: 'ipv4' | 'ipv6'): ReadonlyArray<readonly [Rule[0], BlockList]> {
  return rules.map(([category, network, prefix]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return [category, list] as const;
  });
}

const IPV4_LISTS = listsOf(IPV4_RULES, 'ipv4');
const IPV6_LISTS = listsOf(IPV6_RULES, 'ipv6');

const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
/** Longer than any IPv6 text form (45 characters with an embedded IPv4 address): refused before any parsing. */
const MAX_ADDRESS_LENGTH = 45;

/** The eight 16-bit groups of an address `isIPv6` accepted (no zone id, so no `%`). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const left = head === '' ? [] : head.split(':');
  const right = rest === null || rest === '' ? [] : rest.split(':');
  const zeros = rest === null ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

const ipv4Of = (high: number, low: number): string => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');

/** The IPv4 address an IPv6 address carries, if it is of a kind that carries one. */
function embeddedIpv4(groups: readonly number[]): string | null {
  const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroUpTo(5) && groups[5] === 0xffff) return ipv4Of(groups[6], groups[7]);
  if (zeroUpTo(6) && (groups[6] !== 0 || groups[7] > 1)) return ipv4Of(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return ipv4Of(groups[6], groups[7]);
  if (groups[0] === 0x2002) return ipv4Of(groups[1], groups[2]);
  return null;
}

function classifyIpv4(address: string): AddressClassification {
  const hit = IPV4_LISTS.find(([, list]) => list.check(address, 'ipv4'));
  const category = hit?.[0] ?? 'public';
  return { category, judged: address, allowedByDefault: category === 'public' };
}

export function classifyAddress(input: string): AddressClassification {
  const invalid: AddressClassification = { category: 'invalid', judged: String(input).slice(0, MAX_ADDRESS_LENGTH), allowedByDefault: false };
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_ADDRESS_LENGTH) return invalid;
  if (isIPv4(input)) return CANONICAL_IPV4.test(input) ? classifyIpv4(input) : invalid;
  if (!isIPv6(input) || input.includes('%')) return invalid;
  const groups = groupsOf(input);
  const inner = embeddedIpv4(groups);
  if (inner !== null) return classifyIpv4(inner);
  const hit = IPV6_LISTS.find(([, list]) => list.check(input, 'ipv6'));
  const category = hit?.[0] ?? 'public';
  return { category, judged: input, allowedByDefault: category === 'public' };
}

/** The guard's answer for an endpoint: public addresses always; the others only when a pmo-admin allowed them; invalid never. */
export function addressMayBeReached(input: string, privateAddressesAllowed: boolean): boolean {
  const { category, allowedByDefault } = classifyAddress(input);
  return allowedByDefault || (privateAddressesAllowed && category !== 'invalid');
}
