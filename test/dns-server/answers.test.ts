// The server over real sockets, checked with dig and kdig as independent parsers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import { flagsOf, run, startServer, statusOf, udpTransports } from './helpers.js';

const missing = missingTools('dig', 'kdig');

describe.skipIf(missing.length > 0).each(udpTransports())(
  'answers on the wire (UDP on %s)',
  (udpTransport) => {
    let s: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      s = await startServer({ chaos: { version: 'Bestiary' }, udpTransport });
    });
    afterAll(() => s.stop());

    it.each([
      [
        'an A record, authoritatively',
        ['www.example.org', 'A'],
        'NOERROR',
        ['qr', 'aa'],
        /www\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.1/,
      ],
      [
        'NXDOMAIN with the SOA at the negative TTL',
        ['nope.example.org', 'A'],
        'NXDOMAIN',
        ['qr', 'aa'],
        /example\.org\.\s+300\s+IN\s+SOA/,
      ],
      ['NODATA with the SOA', ['www.example.org', 'AAAA'], 'NOERROR', ['qr', 'aa'], /AUTHORITY: 1/],
      [
        'a wildcard',
        ['x.wild.example.org', 'TXT'],
        'NOERROR',
        ['qr', 'aa'],
        /x\.wild\.example\.org\.\s+3600\s+IN\s+TXT\s+"wildcard"/,
      ],
      [
        'a referral with glue',
        ['a.sub.example.org', 'A'],
        'NOERROR',
        ['qr'],
        /ns\.sub\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.77/,
      ],
      ['REFUSED outside our zones', ['example.com', 'A'], 'REFUSED', ['qr'], /ANSWER: 0/],
      [
        'the letter case of the question',
        ['WwW.ExAmPlE.OrG', 'A'],
        'NOERROR',
        ['qr', 'aa'],
        /WwW\.ExAmPlE\.OrG\.\s+3600\s+IN\s+A/,
      ],
      [
        'MX with the mail host address',
        ['example.org', 'MX'],
        'NOERROR',
        ['qr', 'aa'],
        /mail\.example\.org\.\s+3600\s+IN\s+A\s+192\.0\.2\.25/,
      ],
      ['CAA', ['example.org', 'CAA'], 'NOERROR', ['qr', 'aa'], /CAA\s+0 issue "letsencrypt\.org"/],
      [
        'no recursion even when asked',
        ['+rec', 'www.example.org', 'A'],
        'NOERROR',
        ['qr', 'aa', 'rd'],
        /192\.0\.2\.1/,
      ],
      [
        'version.bind in CHAOS',
        ['version.bind', 'TXT', 'CH'],
        'NOERROR',
        ['qr', 'aa'],
        /"Bestiary"/,
      ],
      [
        'EDNS version 1 with BADVERS',
        ['+edns=1', '+noednsnegotiation', 'www.example.org', 'A'],
        'BADVERS',
        ['qr'],
        /EDNS: version: 0/,
      ],
    ])('answers %s', async (_what, args, status, flags, pattern) => {
      const out = await s.dig(...args);
      expect(statusOf(out)).toBe(status);
      expect(flagsOf(out)).toEqual(flags);
      expect(out).toMatch(pattern);
    });

    it('truncates a large answer over UDP and dig retries over TCP to get all of it', async () => {
      const out = await s.dig('+noedns', 'big.example.org', 'TXT');
      expect(out).toMatch(/Truncated, retrying in TCP mode/);
      expect(out).toMatch(/ANSWER: 40,/);
      const udpOnly = await s.dig('+noedns', '+ignore', 'big.example.org', 'TXT');
      expect(flagsOf(udpOnly)).toContain('tc');
    });

    it('answers pipelined queries on one TCP connection (kdig, RFC 7766)', async () => {
      const { stdout } = await run('kdig', [
        '-p',
        String(s.port),
        '@127.0.0.1',
        '+tcp',
        '+keepopen',
        'www.example.org',
        'A',
        'mail.example.org',
        'A',
        'nope.example.org',
        'A',
      ]);
      expect(stdout.match(/status: NOERROR/g)).toHaveLength(2);
      expect(stdout).toMatch(/status: NXDOMAIN/);
    });

    it('serves a change as soon as replaceZone returns', async () => {
      const { exampleZone } = await import('./helpers.js');
      s.setZone(exampleZone(2, '192.0.2.200'));
      expect(await s.dig('+short', 'www.example.org', 'A')).toBe('192.0.2.200\n');
    });

    it('counts queries by type and rcode for Prometheus', async () => {
      const text = await s.registry.metrics();
      expect(text).toMatch(/bestiary_dns_queries_total\{qtype="A",rcode="NOERROR"\} \d+/);
      expect(text).toMatch(/bestiary_dns_query_duration_seconds_count \d+/);
    });
  },
);
