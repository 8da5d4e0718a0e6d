// Addresses of a Pi: its /64 out of the routed prefix, numbered by the Pi's slot, and its SSH
// port on the shared IPv4 front address. Written fully expanded, as the reference API does.
import { isIP } from 'node:net';
import { ValidationError } from '../core/errors.js';

/** Parse an IPv6 address into a 128-bit integer. */
function toBigInt(address: string): bigint {
  const [head = '', tail] = address.split('::');
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const h = parts(head);
  const t = tail === undefined ? [] : parts(tail);
  const fill: string[] = Array<string>(8 - h.length - t.length).fill('0');
  const groups = tail === undefined ? h : [...h, ...fill, ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Eight four-digit groups: `2a00:1098:0008:0064:0000:0000:0000:0001`. */
export function expandIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--)
    groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, '0'));
  return groups.join(':');
}

export interface AddressPlan {
  /** The Pi's own address: `::1` in its /64. */
  ipv6(slot: number): string;
  /** The Pi's routed /64, e.g. `2a00:…:0064:0000:0000:0000:0000/64`. */
  routed(slot: number): string;
  sshPort(slot: number): number;
  /** How many Pis the prefix and port range have room for. */
  capacity: number;
}

/** An address plan from a routed prefix (a /48 to /63) and the first SSH port. */
export function addressPlan(prefix: string, sshPortBase: number): AddressPlan {
  const [addr = '', lenText = ''] = prefix.split('/');
  const len = Number(lenText);
  if (isIP(addr) !== 6 || !Number.isInteger(len) || len < 16 || len > 63)
    throw new ValidationError(`The Pi prefix ${prefix} must be an IPv6 prefix from /16 to /63`);
  const base = (toBigInt(addr) >> BigInt(128 - len)) << BigInt(128 - len);
  const slots = Math.min(2 ** (64 - len), 65535 - sshPortBase);
  const net = (slot: number) => {
    if (!Number.isInteger(slot) || slot < 1 || slot >= slots)
      throw new ValidationError(`Pi slot ${slot} is outside the prefix or the SSH port range`);
    return base | (BigInt(slot) << 64n);
  };
  return {
    ipv6: (slot) => expandIpv6(net(slot) | 1n),
    routed: (slot) => `${expandIpv6(net(slot))}/64`,
    sshPort: (slot) => {
      net(slot); // the same range check
      return sshPortBase + slot;
    },
    capacity: slots - 1,
  };
}
