// Signed zones checked by real validators: ldns-verify-zone on the AXFR'd zone, a validating
// unbound and delv for positive, NXDOMAIN, NODATA, wildcard, CNAME and delegation answers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsOf, run, startServer, statusOf } from '../dns-server/helpers.js';
import { missingTools } from '../support/tools.js';
import { childZone, delvAnchor, parentZone, startUnbound, type Unbound } from './support.js';

const missing = missingTools('dig', 'ldns-verify-zone', 'unbound', 'delv');

describe.skipIf(missing.length > 0)('signed zones against real validators', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  let unbound: Unbound;
  let dir: string;

  beforeAll(async () => {
    s = await startServer({ transferRules: [{ cidr: '127.0.0.0/8' }] });
    s.setZone(parentZone());
    s.server.replaceZone(childZone());
    unbound = await startUnbound(s.port);
    dir = mkdtempSync(join(tmpdir(), 'bestiary-dnssec-'));
  });
  afterAll(async () => {
    await unbound?.stop();
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const secure = async (name: string, type: string, status: string) => {
    const out = await unbound.dig(name, type);
    expect(statusOf(out), out).toBe(status);
    expect(flagsOf(out), out).toContain('ad');
    return out;
  };

  it('passes ldns-verify-zone on the zone it sends over AXFR', async () => {
    for (const zone of ['example.org', 'secure.example.org']) {
      const axfr = await s.dig('+onesoa', '+nocmd', '+nostats', zone, 'AXFR');
      expect(axfr).toMatch(/IN\s+NSEC3\s/);
      const file = join(dir, `${zone}.zone`);
      writeFileSync(file, axfr);
      // It exits non-zero on any error; the verdict goes to stderr.
      const { stdout, stderr } = await run('ldns-verify-zone', ['-V', '3', file]);
      expect(stdout + stderr).toMatch(/Zone is verified and complete/);
    }
  });

  it('answers DNSKEY and signs it, and sends RRSIGs only to clients that set DO', async () => {
    const signed = await s.dig('+dnssec', 'example.org', 'DNSKEY');
    expect(signed).toMatch(/DNSKEY\s+257 3 13/);
    expect(signed).toMatch(/RRSIG\s+DNSKEY 13 2 /);
    const plain = await s.dig('www.example.org', 'A');
    expect(plain).not.toMatch(/RRSIG/);
    const nx = await s.dig('nothing.example.org', 'A');
    expect(nx).not.toMatch(/NSEC3/);
  });

  it('signs the addresses it adds for an MX target (RFC 4035 §3.1.1)', async () => {
    const out = await s.dig('+dnssec', '+norec', 'example.org', 'MX');
    const additional = out.split(';; ADDITIONAL SECTION:')[1] ?? '';
    expect(additional, out).toMatch(/mail\.example\.org\.\s+\d+\s+IN\s+A\s+192\.0\.2\.25/);
    expect(additional, out).toMatch(/mail\.example\.org\.\s+\d+\s+IN\s+RRSIG\s+A 13 3 /);
  });

  it('validates existing names as secure', async () => {
    expect(await secure('www.example.org', 'A', 'NOERROR')).toMatch(/192\.0\.2\.1/);
    await secure('example.org', 'MX', 'NOERROR');
    await secure('example.org', 'DNSKEY', 'NOERROR');
  });

  it('validates NXDOMAIN and NODATA, including empty non-terminals', async () => {
    await secure('nothing.example.org', 'A', 'NXDOMAIN');
    await secure('x.y.nothing.example.org', 'TXT', 'NXDOMAIN');
    await secure('www.example.org', 'AAAA', 'NOERROR');
    await secure('b.c.example.org', 'A', 'NOERROR');
    await secure('z.b.c.example.org', 'A', 'NXDOMAIN');
  });

  it('validates wildcard answers and wildcard NODATA', async () => {
    expect(await secure('anything.wild.example.org', 'TXT', 'NOERROR')).toMatch(/wildcard/);
    await secure('a.b.wild.example.org', 'TXT', 'NOERROR');
    await secure('anything.wild.example.org', 'A', 'NOERROR');
  });

  it('validates CNAME answers, chased in zone, to data, to nothing and to a wildcard', async () => {
    expect(await secure('alias.example.org', 'A', 'NOERROR')).toMatch(/192\.0\.2\.1/);
    await secure('dangling.example.org', 'A', 'NXDOMAIN');
    expect(await secure('to-wild.example.org', 'TXT', 'NOERROR')).toMatch(/wildcard/);
  });

  it('validates a secure delegation and proves an insecure one has no DS', async () => {
    expect(await secure('www.secure.example.org', 'A', 'NOERROR')).toMatch(/192\.0\.2\.98/);
    await secure('secure.example.org', 'DS', 'NOERROR');
    await secure('sub.example.org', 'DS', 'NOERROR');
    const referral = await s.dig('+dnssec', 'host.sub.example.org', 'A');
    expect(referral).toMatch(/IN\s+NSEC3\s/);
  });

  it('truncates a signed answer that does not fit the UDP size rather than sending part of it', async () => {
    const out = await s.dig('+dnssec', '+bufsize=512', '+ignore', 'nothing.example.org', 'A');
    expect(flagsOf(out)).toContain('tc');
    expect(out).toMatch(/ANSWER: 0, AUTHORITY: 0/);
    const full = await s.dig('+dnssec', '+bufsize=1232', 'nothing.example.org', 'A');
    expect(flagsOf(full)).not.toContain('tc');
    expect(full.match(/IN\s+NSEC3\s/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('answers IXFR of a signed zone with the whole signed zone (RFC 1995 §4)', async () => {
    s.setZone(parentZone(2, '192.0.2.2'));
    const ixfr = await s.dig('+tcp', 'ixfr=1', 'example.org');
    expect(ixfr.match(/IN\s+SOA\s/g)).toHaveLength(2);
    expect(ixfr).toMatch(/IN\s+RRSIG\s+A 13 3 3600/);
    expect(ixfr).toMatch(/IN\s+DNSKEY\s+257 3 13/);
    s.setZone(parentZone());
  });

  it('is agreed with by delv', async () => {
    const anchor = delvAnchor(dir);
    const delv = async (name: string, type: string) =>
      (
        await run('delv', [
          '@127.0.0.1',
          '-p',
          String(s.port),
          '-a',
          anchor,
          '+root=example.org',
          name,
          type,
        ])
      ).stdout;
    expect(await delv('www.example.org', 'A')).toMatch(/; fully validated/);
    expect(await delv('nothing.example.org', 'A')).toMatch(/; negative response, fully validated/);
    expect(await delv('anything.wild.example.org', 'TXT')).toMatch(/; fully validated/);
    expect(await delv('www.example.org', 'AAAA')).toMatch(/; negative response, fully validated/);
  });
});
