// IP address arithmetic: parsing, prefixes and CIDR matching, for IPv4 and IPv6 alike.
import { isIP } from 'node:net';

/** An address as a 128-bit value; IPv4 is kept as such, not mapped. */
export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

function parseV6(text: string): bigint | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    tail = [Number(v4 >> 16n), Number(v4 & 0xffffn)];
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 2 && fill < 0) || (halves.length === 1 && fill !== 0)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail.length) value = (value & ~0xffffffffn) | (BigInt(tail[0]!) << 16n) | BigInt(tail[1]!);
  return value;
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

/** Parse an address; IPv4-mapped IPv6 (::ffff:a.b.c.d) is treated as the IPv4 address. */
export function parseIp(text: string): ParsedIp | null {
  const family = isIP(text.split('%')[0] ?? '');
  if (family === 4) {
    const v = parseV4(text);
    return v === null ? null : { family: 4, value: v };
  }
  if (family === 6) {
    const v = parseV6(text);
    if (v === null) return null;
    if (v >> 32n === 0xffffn) return { family: 4, value: v & 0xffffffffn };
    return { family: 6, value: v };
  }
  return null;
}

function format(ip: ParsedIp): string {
  if (ip.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let i = 7n; i >= 0n; i--) groups.push(((ip.value >> (i * 16n)) & 0xffffn).toString(16));
  // Compress the longest run of two or more zero groups, the first if tied (RFC 5952 §4.2).
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (bestAt < 0) return groups.join(':');
  return `${groups.slice(0, bestAt).join(':')}::${groups.slice(bestAt + bestLen).join(':')}`;
}

/** Canonical text of an address (RFC 5952 for IPv6; IPv4-mapped becomes plain IPv4). */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? format(ip) : null;
}

function mask(ip: ParsedIp, prefix: number): bigint {
  const bits = BigInt(ip.family === 4 ? 32 : 128);
  const p = BigInt(Math.min(prefix, Number(bits)));
  return p === 0n ? 0n : (ip.value >> (bits - p)) << (bits - p);
}

/** The network an address belongs to at the given prefix, as CIDR text ("2001:db8::/64"). */
export function networkOf(text: string, v4Prefix: number, v6Prefix: number): string | null {
  const ip = parseIp(text);
  if (!ip) return null;
  const prefix = ip.family === 4 ? v4Prefix : v6Prefix;
  return `${format({ family: ip.family, value: mask(ip, prefix) })}/${prefix}`;
}

/** Does `addr` fall within `cidr` (an address or address/prefix)? */
export function cidrContains(cidr: string, addr: string): boolean {
  const [base, len] = cidr.split('/');
  const net = parseIp(base ?? '');
  const ip = parseIp(addr);
  if (!net || !ip || net.family !== ip.family) return false;
  const prefix = len === undefined ? (net.family === 4 ? 32 : 128) : Number(len);
  return mask(net, prefix) === mask(ip, prefix);
}
