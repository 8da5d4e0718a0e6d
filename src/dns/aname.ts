// ANAME: the apex alias Bestiary resolves. A target inside our zones is answered from what our
// own server serves; one outside is looked up through the system's resolvers (cached by TTL).
// With no answer the apex simply has no addresses until the next change, and the log says why.
import { Resolver } from 'node:dns/promises';
import type { Logger } from '../core/logger.js';
import { canonicalIp } from '../core/net.js';
import type { AnameResolver } from './snapshot.js';

const A = 1;
const AAAA = 28;
const NOERROR = 0;
const REFUSED = 5;

type Served = (
  name: string,
  type: number,
) => { rcode: number; answer: { type: number; ttl: number; rdata: Uint8Array }[] } | undefined;

const ipv4 = (b: Uint8Array) => Array.from(b).join('.');
const ipv6 = (b: Uint8Array) =>
  canonicalIp(
    Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16)).join(':'),
  )!;

export function createAnameResolver(deps: {
  logger: Logger;
  served: Served;
  timeoutMs?: number;
}): AnameResolver {
  const cache = new Map<string, { until: number; a: string[]; aaaa: string[]; ttl: number }>();
  return async (target) => {
    const ours = [deps.served(target, A), deps.served(target, AAAA)];
    if (ours.every((r) => r && r.rcode !== REFUSED)) {
      const pick = (r: (typeof ours)[number], type: number) =>
        r && r.rcode === NOERROR ? r.answer.filter((x) => x.type === type) : [];
      const a = pick(ours[0], A);
      const aaaa = pick(ours[1], AAAA);
      const ttl = Math.min(3600, ...[...a, ...aaaa].map((x) => x.ttl));
      return { a: a.map((x) => ipv4(x.rdata)), aaaa: aaaa.map((x) => ipv6(x.rdata)), ttl };
    }
    const hit = cache.get(target);
    if (hit && hit.until > Date.now()) return hit;
    const resolver = new Resolver({ timeout: deps.timeoutMs ?? 2000, tries: 1 });
    const ask = async (family: 4 | 6) => {
      try {
        return family === 4
          ? await resolver.resolve4(target, { ttl: true })
          : await resolver.resolve6(target, { ttl: true });
      } catch (err) {
        deps.logger.warn(
          { target, family, err: (err as Error).message },
          'ANAME target did not resolve',
        );
        return [];
      }
    };
    const [a, aaaa] = await Promise.all([ask(4), ask(6)]);
    const ttl = Math.max(60, Math.min(3600, ...[...a, ...aaaa].map((x) => x.ttl)));
    const result = {
      a: a.map((x) => x.address),
      aaaa: aaaa.map((x) => x.address),
      ttl,
      until: Date.now() + ttl * 1000,
    };
    cache.set(target, result);
    return result;
  };
}
