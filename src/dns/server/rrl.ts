// Response rate limiting against reflection (in the spirit of BIND's RRL): a token bucket per
// (client network, response identity). Networks are /24 for IPv4 and /56 for IPv6, so a spoofed
// victim cannot be flooded with one answer; over budget, replies are dropped and every `slip`-th
// one is sent truncated so a real client retries over TCP (which RRL does not limit).
import { BlockList, isIPv4 } from 'node:net';
import type { Clock } from '../../core/clock.js';

export interface RrlOptions {
  /** Identical responses per second allowed to one network. */
  responsesPerSecond: number;
  /** Every n-th limited response is sent with TC=1 instead of dropped (0: drop all). */
  slip: number;
  ipv4Prefix: number;
  ipv6Prefix: number;
  /** CIDRs never limited (monitoring, loopback benchmarks). */
  exempt: readonly string[];
  /** Bound on tracked buckets; past it the table is cleared (failing open, never growing). */
  maxEntries: number;
}

export const defaultRrl: RrlOptions = {
  responsesPerSecond: 20,
  slip: 2,
  ipv4Prefix: 24,
  ipv6Prefix: 56,
  exempt: [],
  maxEntries: 100_000,
};

/** What to do with one response. */
export const RrlVerdict = { Send: 0, Drop: 1, Slip: 2 } as const;
export type RrlVerdict = (typeof RrlVerdict)[keyof typeof RrlVerdict];

export interface Rrl {
  /** Judge a response with identity `identity` (e.g. qname/type, or zone for NXDOMAIN) to `address`. */
  check(address: string, identity: string): RrlVerdict;
}

interface Bucket {
  tokens: number;
  last: number;
  limited: number;
}

/** The network part of an address as text: "192.0.2" for /24, a hex prefix for IPv6. */
export function networkOf(address: string, v4Prefix: number, v6Prefix: number): string {
  if (address.startsWith('::ffff:') && isIPv4(address.slice(7))) address = address.slice(7);
  if (isIPv4(address)) {
    if (v4Prefix === 24) return address.slice(0, address.lastIndexOf('.'));
    const n = address.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    return String(v4Prefix >= 32 ? n : Math.floor(n / 2 ** (32 - v4Prefix)));
  }
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t].map(
    (g) => g.padStart(4, '0'),
  );
  const hex = groups.join('').slice(0, Math.ceil(v6Prefix / 4));
  return `v6:${hex}`;
}

export function createRrl(options: RrlOptions, clock: Clock): Rrl {
  const buckets = new Map<string, Bucket>();
  const exempt = new BlockList();
  for (const cidr of options.exempt) {
    const [net = '', bits] = cidr.split('/');
    const family = isIPv4(net) ? 'ipv4' : 'ipv6';
    exempt.addSubnet(net, Number(bits ?? (family === 'ipv4' ? 32 : 128)), family);
  }
  const hasExempt = options.exempt.length > 0;
  let lastSweep = clock.now();
  const sweep = (now: number): void => {
    lastSweep = now;
    for (const [k, b] of buckets) if (now - b.last > 10_000) buckets.delete(k);
  };
  return {
    check(address, identity) {
      if (hasExempt && exempt.check(address, isIPv4(address) ? 'ipv4' : 'ipv6'))
        return RrlVerdict.Send;
      const now = clock.now();
      if (now - lastSweep > 10_000) sweep(now);
      if (buckets.size >= options.maxEntries) buckets.clear();
      const key = networkOf(address, options.ipv4Prefix, options.ipv6Prefix) + '|' + identity;
      const rate = options.responsesPerSecond;
      let b = buckets.get(key);
      if (!b) {
        b = { tokens: rate, last: now, limited: 0 };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(rate, b.tokens + ((now - b.last) / 1000) * rate);
        b.last = now;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return RrlVerdict.Send;
      }
      b.limited++;
      return options.slip > 0 && b.limited % options.slip === 0 ? RrlVerdict.Slip : RrlVerdict.Drop;
    },
  };
}
