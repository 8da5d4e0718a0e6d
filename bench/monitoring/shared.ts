// What the bench's processes agree on: target addresses and the check mix.
import type { CheckDefinition } from '../../src/monitoring/index.js';

export const ports = { http: 18080, ssh: 18022, dns: 18053, tls: 18443 };

/** The h-th loopback target host (1-based): 127.0.0.2, 127.0.0.3, … */
export const hostAt = (h: number): string => `127.0.${Math.floor(h / 250)}.${(h % 250) + 1}`;

/**
 * The check mix: 40 % HTTP with a keyword, 35 % SSH banner, 10 % TCP, 10 % DNS, 5 % TLS expiry
 * (a full handshake each time). Every check every 60 s, two down retries 10 s apart.
 */
export function benchChecks(size: number, hosts: number): CheckDefinition[] {
  return Array.from({ length: size }, (_, i) => {
    const host = hostAt((i % hosts) + 1);
    const id = `c${i}`;
    const base = {
      id,
      name: `managed pi:bench${i}`,
      ref: `${i}-b`,
      where: host,
      accountId: null,
      intervalMs: 60_000,
      retryIntervalMs: 10_000,
      downRetries: 2,
      upRetries: 1,
      timeoutMs: 5_000,
    };
    const slot = i % 20;
    if (slot < 8)
      return {
        ...base,
        type: 'http',
        where: '',
        params: { url: `http://${host}:${ports.http}/c/${id}`, keyword: 'OK' },
      };
    if (slot < 15) return { ...base, type: 'ssh', params: { host, port: ports.ssh } };
    if (slot < 17) return { ...base, type: 'tcp', params: { host, port: ports.ssh } };
    if (slot < 19)
      return {
        ...base,
        type: 'dns',
        params: {
          server: `${host}:${ports.dns}`,
          name: 'bench.test',
          type: 'A',
          expect: ['192.0.2.10'],
        },
      };
    return { ...base, type: 'tls', params: { host, port: ports.tls, verify: false, warnDays: 1 } };
  });
}

/** Ids of HTTP checks (slot 0) to break, spread over the set. */
export const faultIds = (size: number, n: number): string[] =>
  Array.from({ length: n }, (_, k) => `c${Math.floor((k * size) / n / 20) * 20}`);
