// The DNS module end to end on the wire: a zone created by ordering a domain is served by
// Bestiary's own server, changes are served at once, and the change log feeds IXFR.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/main.js';
import { buildAccount } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';

const missing = missingTools('dig');

describe.skipIf(missing.length > 0)('zones on the wire', () => {
  let t: TestApp;
  let port: number;
  // Asynchronous: the server answers from this very process, so dig must not block it.
  const run = promisify(execFile);
  const dig = async (...args: string[]) =>
    (
      await run('dig', [
        '@127.0.0.1',
        '-p',
        String(port),
        '+norecurse',
        '+time=2',
        '+tries=1',
        ...args,
      ])
    ).stdout;
  const short = async (...args: string[]) =>
    (await dig('+short', ...args)).trim().split('\n').filter(Boolean).sort();

  beforeAll(async () => {
    port = await freePort();
    t = await buildTestApp({
      config: {
        // Unsigned zones: IXFR from the change log is what these tests are about; signed zones
        // get AXFR instead (test/dnssec covers them).
        dns: {
          listen: `127.0.0.1:${port}`,
          rrlPerSecond: 0,
          transfer: [{ cidr: '127.0.0.0/8' }],
          dnssec: { defaultOn: false },
        },
      },
    });
    await t.app.dns.start();
  });
  afterAll(() => t.close());

  it('serves the zone of a domain as soon as it is registered, with the provider SOA and NS', async () => {
    const account = await buildAccount(t.app);
    await t.app.domains.addToCart(account.id, 'wirezone.com');
    await t.app.domains.checkout(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    await t.app.jobs.drain();
    expect(await short('wirezone.com', 'NS')).toEqual([
      'ns1.bestiary.example.',
      'ns2.bestiary.example.',
    ]);
    const soa = (await short('wirezone.com', 'SOA'))[0]!.split(' ');
    expect(soa.slice(0, 2)).toEqual(['ns1.bestiary.example.', 'hostmaster.bestiary.example.']);
    expect(Number(soa[2])).toBeGreaterThan(2026112700);
    expect(await dig('nothing.wirezone.com', 'A')).toContain('status: NXDOMAIN');
    expect(await dig('example.net', 'A')).toContain('status: REFUSED');
  });

  it('serves a change the moment the module confirms it, with a higher serial', async () => {
    const account = await buildAccount(t.app);
    const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    const zone = await t.app.dns.zones.create(account.id, 'changes.org', 'dns-only', access.actor);
    const before = Number((await short('changes.org', 'SOA'))[0]!.split(' ')[2]);
    const { recordFromJson } = await import('../../src/dns/index.js');
    const records = [
      recordFromJson({ host: 'www', type: 'A', data: '192.0.2.10', ttl: 300 }, 'changes.org.'),
      recordFromJson(
        {
          host: '@',
          type: 'CAA',
          caa_flags: 0,
          caa_tag: 'issue',
          data: 'letsencrypt.org',
          ttl: 300,
        },
        'changes.org.',
      ),
      recordFromJson({ host: 'txt', type: 'TXT', data: 'x'.repeat(300), ttl: 300 }, 'changes.org.'),
    ];
    const result = await t.app.dns.records.add(access, zone, records);
    expect(result.added).toBe(3);
    expect(await short('www.changes.org', 'A')).toEqual(['192.0.2.10']);
    expect(await short('changes.org', 'CAA')).toEqual(['0 issue "letsencrypt.org"']);
    expect((await short('txt.changes.org', 'TXT'))[0]!.replace(/[" ]/g, '')).toBe('x'.repeat(300));
    expect(Number((await short('changes.org', 'SOA'))[0]!.split(' ')[2])).toBe(before + 1);
    // IXFR from the previous serial carries exactly the three added records (RFC 1995 §4).
    const ixfr = await dig('+tcp', `ixfr=${before}`, 'changes.org');
    expect(ixfr).toMatch(/www\.changes\.org\.\s+300\s+IN\s+A\s+192\.0\.2\.10/);
    expect(ixfr.match(/IN\s+SOA/g)).toHaveLength(4);
  });

  it('serves changes another process made to the database, and stops serving zones it deleted', async () => {
    // A second instance on the same database, as the CLI or a scaled-out panel would be: its
    // writes reach this server only through the database serials.
    const other = buildApp(t.app.config, { clock: t.clock, logger: silentLogger, db: t.app.db });
    const account = await buildAccount(t.app);
    const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'cli' });
    const zone = await other.dns.zones.create(
      account.id,
      'elsewhere.org',
      'dns-only',
      access.actor,
    );
    const { recordFromJson } = await import('../../src/dns/index.js');
    await other.dns.records.add(access, zone, [
      recordFromJson({ host: 'www', type: 'A', data: '192.0.2.77', ttl: 300 }, 'elsewhere.org.'),
    ]);
    expect(await dig('www.elsewhere.org', 'A')).toContain('status: REFUSED');
    expect(await t.app.dns.syncFromDatabase()).toBeGreaterThanOrEqual(1);
    expect(await short('www.elsewhere.org', 'A')).toEqual(['192.0.2.77']);
    expect(await t.app.dns.syncFromDatabase()).toBe(0);

    await other.dns.zones.remove(access, zone);
    await t.app.dns.syncFromDatabase();
    expect(await dig('www.elsewhere.org', 'A')).toContain('status: REFUSED');
  });
});
