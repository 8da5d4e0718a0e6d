// The built-in registry publishes the DS by itself: a free subdomain ordered from one of the
// provider's own zones is delegated there with its DS on the wire, so it is secure with no customer
// action, and a validating unbound given only the provider zone's trust anchor validates it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { enginesUnderTest } from '../support/databases.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { flagsOf, run, statusOf } from '../dns-server/helpers.js';
import { startUnbound } from './support.js';

const engines = await enginesUnderTest();
const CHILD = 'alice.students.example';

describe.skipIf(missingTools('dig', 'unbound').length > 0).each(engines)(
  'free subdomains of a provider zone (%s)',
  (engine) => {
    let t: TestApp;
    let port: number;
    const dig = async (...args: string[]) =>
      (await run('dig', ['@127.0.0.1', '-p', String(port), '+nosplit', ...args])).stdout;

    beforeEach(async () => {
      port = await freePort();
      t = await buildTestApp({
        engine,
        config: {
          domains: { freeSubdomainParents: ['students.example'] },
          dns: {
            listen: `127.0.0.1:${port}`,
            rrlPerSecond: 0,
            dnssec: { parentServers: [`127.0.0.1:${port}`] },
          },
        },
      });
      await t.app.dns.start();
      const admin = await buildAccount(t.app);
      const actor = fullAccess(admin.id, { accountId: admin.id, ip: null, channel: 'panel' }).actor;
      await t.app.dns.zones.create(admin.id, 'students.example', 'dns-only', actor);
    });
    afterEach(async () => {
      await t.app.dns.stop();
      await t.close();
    });

    it('becomes secure with no customer action, validated from the provider zone’s anchor', async () => {
      const customer = await buildAccount(t.app);
      await t.app.domains.addToCart(customer.id, CHILD);
      await t.app.domains.checkout(customer.id, {
        accountId: customer.id,
        ip: null,
        channel: 'panel',
      });
      await t.app.jobs.drain();
      const zone = await t.app.dns.zones.named(CHILD);
      expect(zone.dnssec).toBe(1);
      const ksk = (await t.app.dns.dnssecKeys(zone)).find((k) => k.role === 'ksk')!;

      // The provider zone delegates it, with the DS, signed.
      const ds = await dig('+dnssec', '+norec', CHILD, 'DS');
      expect(ds).toContain(`DS\t${ksk.ds}`);
      expect(ds).toMatch(/RRSIG\tDS 13 3 .* students\.example\. /);
      expect((await dig('+short', CHILD, 'DS')).trim()).toBe(ksk.ds);

      expect(await t.app.dns.dnssecCheckParents()).toBe(2);
      expect((await t.app.dns.dnssecParent(zone)).status).toBe('secure');

      const provider = await t.app.dns.zones.named('students.example');
      const anchor = (await t.app.dns.dnssecKeys(provider)).find((k) => k.role === 'ksk')!.ds!;
      const unbound = await startUnbound(port, {
        anchor: `students.example. 3600 IN DS ${anchor}`,
        zones: ['students.example'],
      });
      try {
        const soa = await unbound.dig(CHILD, 'SOA');
        expect(statusOf(soa), soa).toBe('NOERROR');
        expect(flagsOf(soa), soa).toContain('ad');
        const nx = await unbound.dig(`nothing.${CHILD}`, 'A');
        expect(statusOf(nx), nx).toBe('NXDOMAIN');
        expect(flagsOf(nx), nx).toContain('ad');
      } finally {
        await unbound.stop();
      }
    });

    it('follows a KSK rollover and turning off in the provider zone, as a CDS-reading parent would', async () => {
      const customer = await buildAccount(t.app);
      const zone = await t.app.dns.zones.create(
        customer.id,
        CHILD,
        'domain',
        { accountId: null, ip: null, channel: 'system' },
        { insideProviderZones: true },
      );
      await t.app.dns.setDnssec(zone, true);
      const old = (await t.app.dns.dnssecKeys(zone)).find((k) => k.role === 'ksk')!.ds!;
      await t.app.dns.dnssecRollKsk(await t.app.dns.zones.named(CHILD));
      const fresh = (await t.app.dns.dnssecKeys(zone)).find((k) => k.state === 'published')!.ds!;
      const both = (await dig('+short', CHILD, 'DS')).trim().split('\n').sort();
      expect(both).toEqual([old, fresh].sort());

      await t.app.dns.dnssecTurnOff(await t.app.dns.zones.named(CHILD));
      expect((await dig('+short', CHILD, 'DS')).trim()).toBe('');
      expect((await dig('+short', CHILD, 'NS')).trim()).not.toBe('');

      // Deleted, it is no longer delegated from the provider zone.
      const access = fullAccess(customer.id, {
        accountId: customer.id,
        ip: null,
        channel: 'panel',
      });
      await t.app.dns.zones.remove(access, await t.app.dns.zones.named(CHILD));
      expect(await dig(CHILD, 'NS')).toContain('status: NXDOMAIN');
    });
  },
);
