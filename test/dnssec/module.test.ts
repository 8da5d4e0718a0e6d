// The DNS module signs zones on both database engines: keys are made once and sealed at rest,
// new zones are signed by default, signatures are renewed before they expire, and signing can be
// switched off per zone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullAccess, recordFromJson } from '../../src/dns/index.js';
import { RRType } from '../../src/dns/wire/constants.js';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp } from '../support/app.js';
import { enginesUnderTest } from '../support/databases.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { run } from '../dns-server/helpers.js';

const engines = await enginesUnderTest();

describe.each(engines)('DNSSEC in the DNS module on %s', (engine) => {
  async function setup(config: { defaultOn?: boolean; algorithm?: 13 | 15 } = {}) {
    const t = await buildTestApp({
      engine,
      config: { dns: { listen: '127.0.0.1:0', dnssec: config } },
    });
    const account = await buildAccount(t.app);
    const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
    const zone = await t.app.dns.zones.create(account.id, 'signed.org', 'dns-only', access.actor);
    return { t, zone, dns: t.app.dns };
  }

  it('signs a new zone by default with a KSK and a ZSK and shows the DS a registrar asks for', async () => {
    const { t, zone, dns } = await setup();
    try {
      expect(zone.dnssec).toBe(1);
      const keys = await dns.dnssecKeys(zone);
      expect(keys.map((k) => k.role).sort()).toEqual(['ksk', 'zsk']);
      const ksk = keys.find((k) => k.role === 'ksk')!;
      expect(ksk.dnskey).toMatch(/^257 3 13 [A-Za-z0-9+/=]{88}$/);
      expect(ksk.ds).toMatch(new RegExp(`^${ksk.keyTag} 13 2 [0-9A-F]{64}$`));
      expect(dns.server.lookup('signed.org.', RRType.DNSKEY).answer).toHaveLength(2);
      // The first ZSK rollover starts after the default lifetime of 90 days.
      const next = Date.parse((await dns.dnssecNextKeyEvent(zone))!);
      expect(next - t.clock.now()).toBeGreaterThan(89 * 86_400_000);
      expect(next - t.clock.now()).toBeLessThanOrEqual(90 * 86_400_000);
      // Publishing again reuses the stored keys rather than making new ones.
      await dns.syncFromDatabase();
      expect((await dns.dnssecKeys(zone)).map((k) => k.id)).toEqual(keys.map((k) => k.id));
    } finally {
      await t.close();
    }
  });

  it('stores private keys sealed, never in the clear', async () => {
    const { t, zone, dns } = await setup({ algorithm: 15 });
    try {
      const rows = await t.app.db
        .forModule<{ dnssec_keys: { zone_id: string; private_key: string; algorithm: number } }>()
        .selectFrom('dnssec_keys')
        .selectAll()
        .where('zone_id', '=', zone.id)
        .execute();
      expect(rows).toHaveLength(2);
      for (const r of rows) {
        expect(r.algorithm).toBe(15);
        expect(r.private_key).toMatch(/^v1\./);
        expect(r.private_key).not.toContain('MC4CAQAwBQYDK2Vw'); // PKCS#8 Ed25519 prefix
      }
      expect((await dns.dnssecKeys(zone))[0]!.dnskey).toMatch(/^25[67] 3 15 /);
    } finally {
      await t.close();
    }
  });

  it('renews signatures under a new serial before they expire', async () => {
    const { t, zone, dns } = await setup();
    try {
      await dns.syncFromDatabase();
      const before = dns.server.servedSerial('signed.org.')!;
      expect(await dns.syncFromDatabase()).toBe(0);
      t.clock.advance(8 * 86_400_000); // past validity (14 d) minus refresh (7 d)
      expect(await dns.syncFromDatabase()).toBe(1);
      expect(dns.server.servedSerial('signed.org.')).toBe(before + 1);
      expect(await dns.syncFromDatabase()).toBe(0);
      expect(zone.serial).toBeLessThan(before + 1);
    } finally {
      await t.close();
    }
  });

  it('makes exactly one KSK and one ZSK when several publishers race to sign a zone', async () => {
    const { t, zone, dns } = await setup({ defaultOn: false });
    try {
      await Promise.all([1, 2, 3].map(() => dns.setDnssec(zone, true)));
      const keys = await dns.dnssecKeys(zone);
      expect(keys.map((k) => k.role).sort()).toEqual(['ksk', 'zsk']);
    } finally {
      await t.close();
    }
  });

  it('stops signing a zone when asked, and leaves zones unsigned when the provider says so', async () => {
    const { t, zone, dns } = await setup();
    try {
      await dns.setDnssec(zone, false);
      expect(dns.server.lookup('signed.org.', RRType.DNSKEY).answer).toHaveLength(0);
      await t.close();
      const other = await setup({ defaultOn: false });
      expect(other.zone.dnssec).toBe(0);
      await other.t.close();
    } finally {
      await t.close().catch(() => undefined);
    }
  });
});

const toolsMissing = missingTools('dig', 'ldns-verify-zone');

describe.skipIf(toolsMissing.length > 0)('a signed zone built from the database', () => {
  it('passes ldns-verify-zone over AXFR with every kind of record a customer can add', async () => {
    const port = await freePort();
    const t = await buildTestApp({
      config: {
        dns: { listen: `127.0.0.1:${port}`, rrlPerSecond: 0, transfer: [{ cidr: '127.0.0.0/8' }] },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'bestiary-dnssec-module-'));
    try {
      await t.app.dns.start();
      const account = await buildAccount(t.app);
      const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
      const zone = await t.app.dns.zones.create(account.id, 'Mixed.org', 'dns-only', access.actor);
      const rec = (json: Record<string, string | number>) =>
        recordFromJson({ ttl: 300, ...json }, 'mixed.org.');
      await t.app.dns.records.add(access, zone, [
        rec({ host: 'www', type: 'A', data: '192.0.2.10' }),
        rec({ host: 'www', type: 'AAAA', data: '2001:db8::10' }),
        rec({ host: '@', type: 'MX', mx_priority: 10, data: 'Mail.Mixed.org.' }),
        rec({ host: 'mail', type: 'A', data: '192.0.2.25' }),
        rec({ host: '@', type: 'TXT', data: 'v=spf1 mx -all' }),
        rec({ host: '@', type: 'CAA', caa_flags: 0, caa_tag: 'issue', data: 'letsencrypt.org' }),
        rec({
          host: '_sip._tcp',
          type: 'SRV',
          srv_priority: 10,
          srv_weight: 5,
          srv_port: 5060,
          data: 'SIP.mixed.org.',
        }),
        rec({ host: 'sip', type: 'A', data: '192.0.2.60' }),
        rec({ host: 'alias', type: 'CNAME', data: 'WWW.mixed.org.' }),
        rec({ host: '*.apps', type: 'A', data: '192.0.2.80' }),
        rec({ host: 'deep.a.b', type: 'TXT', data: 'x' }),
        rec({ host: 'delegated', type: 'NS', data: 'ns.elsewhere.example.' }),
      ]);
      const axfr = (
        await run('dig', [
          '@127.0.0.1',
          '-p',
          String(port),
          '+onesoa',
          '+nocmd',
          '+nostats',
          'mixed.org',
          'AXFR',
        ])
      ).stdout;
      expect(axfr).toMatch(/IN\s+NSEC3PARAM\s/);
      const file = join(dir, 'mixed.org.zone');
      writeFileSync(file, axfr);
      const { stdout, stderr } = await run('ldns-verify-zone', ['-V', '3', file]);
      expect(stdout + stderr).toMatch(/Zone is verified and complete/);
    } finally {
      await t.app.dns.stop();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
