// DNS: ask one given server (any port) and compare the answer set with the expectation.
import { Resolver } from 'node:dns/promises';
import type { Check } from './check.js';
import { describeError, since } from './check.js';
import type { DnsParams } from '../types.js';

/** Each record type as one comparable string, e.g. MX `10 mail.example.com`. */
async function lookup(r: Resolver, p: DnsParams): Promise<string[]> {
  switch (p.type) {
    case 'A':
      return r.resolve4(p.name);
    case 'AAAA':
      return r.resolve6(p.name);
    case 'CNAME':
      return r.resolveCname(p.name);
    case 'NS':
      return r.resolveNs(p.name);
    case 'MX':
      return (await r.resolveMx(p.name)).map((m) => `${m.priority} ${m.exchange}`);
    case 'TXT':
      return (await r.resolveTxt(p.name)).map((parts) => parts.join(''));
    case 'SRV':
      return (await r.resolveSrv(p.name)).map(
        (s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`,
      );
    case 'SOA': {
      const s = await r.resolveSoa(p.name);
      return [`${s.nsname} ${s.hostmaster} ${s.serial}`];
    }
    case 'CAA':
      return (await r.resolveCaa(p.name)).map((c) => {
        const [tag, value] = (Object.entries(c) as Array<[string, unknown]>).find(
          ([k]) => k !== 'critical',
        ) ?? ['', ''];
        return `${c.critical} ${tag} "${String(value)}"`;
      });
  }
}

const norm = (v: string): string => v.toLowerCase().replace(/\.$/, '');
const dnsCodes: Record<string, string> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'no records',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
  ETIMEOUT: 'TIMEOUT',
  ECONNREFUSED: 'connection refused',
};

export const dns: Check<'dns'> = {
  type: 'dns',
  hostOf: (p) => p.server.replace(/^\[?([^\]]*?)\]?(:\d+)?$/, '$1'),
  async run(p, ctx) {
    const start = process.hrtime.bigint();
    const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
    resolver.setServers([p.server]);
    const asked = `${p.name} ${p.type} @${p.server}`;
    try {
      const answer = await lookup(resolver, p);
      const latencyMs = since(start);
      const got = answer.map(norm).sort();
      const shown = answer.join(', ') || '(empty)';
      if (p.expect) {
        const want = p.expect.map(norm).sort();
        if (got.join('\n') !== want.join('\n'))
          return {
            status: 'down',
            latencyMs,
            message: `${asked} answered ${shown}, expected ${p.expect.join(', ')}`,
          };
      } else if (got.length === 0)
        return { status: 'down', latencyMs, message: `${asked}: empty answer` };
      return { status: 'up', latencyMs, message: `${asked}: ${shown}` };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      return {
        status: 'down',
        message: `${asked}: ${dnsCodes[code] ?? describeError(err, ctx.timeoutMs)}`,
      };
    } finally {
      resolver.cancel();
    }
  },
};
