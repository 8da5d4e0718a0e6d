// A signed zone's status at its parent, checked on the wire against a local fake parent (example.org
// served by Bestiary itself, with whatever DS the test puts there), and turning DNSSEC off safely:
// the DS goes first, then its TTL passes, and only then does signing stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ZoneRow } from '../../src/dns/index.js';
import { fullAccess } from '../../src/dns/index.js';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { enginesUnderTest } from '../support/databases.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { run } from '../dns-server/helpers.js';
import { fakeParent } from './support.js';

const HOUR = 3_600_000;
const engines = await enginesUnderTest();

describe.skipIf(missingTools('dig').length > 0).each(engines)(
  'DNSSEC at the parent (%s)',
  (engine) => {
    let t: TestApp;
    let port: number;
    let zone: ZoneRow;
    let serial = 1;
    const parentHas = (ds: readonly string[]) =>
      t.app.dns.server.replaceZone(fakeParent('secure', ds, ++serial));
    const fresh = async () => t.app.dns.zones.named('secure.example.org');
    const dig = async (...args: string[]) =>
      (
        await run('dig', ['@127.0.0.1', '-p', String(port), '+short', '+nosplit', ...args])
      ).stdout.trim();

    beforeEach(async () => {
      port = await freePort();
      t = await buildTestApp({
        engine,
        config: {
          dns: {
            listen: `127.0.0.1:${port}`,
            rrlPerSecond: 0,
            dnssec: { parentServers: [`127.0.0.1:${port}`] },
          },
        },
      });
      await t.app.dns.start();
      const account = await buildAccount(t.app);
      const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
      await t.app.dns.zones.create(account.id, 'secure.example.org', 'dns-only', access.actor);
      zone = await fresh();
    });
    afterEach(async () => {
      await t.app.dns.stop();
      await t.close();
    });

    const kskDs = async () =>
      (await t.app.dns.dnssecKeys(zone)).find((k) => k.role === 'ksk' && k.state === 'active')!.ds!;

    it('says "waiting" until the parent has the DS, "secure" when it matches, "mismatch" when not', async () => {
      expect((await t.app.dns.dnssecParent(zone)).status).toBe('unknown');
      parentHas([]);
      const waiting = await t.app.dns.dnssecCheckParent(zone);
      expect(waiting).toMatchObject({ status: 'waiting', parentDs: [], error: null });
      expect(waiting.checkedAt).toBe(new Date(t.clock.now()).toISOString());

      parentHas([await kskDs()]);
      const secure = await t.app.dns.dnssecCheckParent(zone);
      expect(secure).toMatchObject({ status: 'secure', parentDs: [await kskDs()], dsTtl: 3600 });

      const wrong = `12345 13 2 ${'AB'.repeat(32)}`;
      parentHas([wrong]);
      expect(await t.app.dns.dnssecCheckParent(zone)).toMatchObject({
        status: 'mismatch',
        parentDs: [wrong],
      });
    });

    it('checks every signed zone on the timer only when its last check is older than the interval', async () => {
      parentHas([await kskDs()]);
      expect(await t.app.dns.dnssecCheckParents()).toBe(1);
      expect((await t.app.dns.dnssecParent(zone)).status).toBe('secure');
      expect(await t.app.dns.dnssecCheckParents()).toBe(0);
      t.clock.advance(16 * 60_000);
      expect(await t.app.dns.dnssecCheckParents()).toBe(1);
    });

    it('keeps the last answer and records the error when no parent server answers', async () => {
      parentHas([await kskDs()]);
      await t.app.dns.dnssecCheckParent(zone);
      t.app.dns.server.removeZone('example.org.');
      const view = await t.app.dns.dnssecCheckParent(zone);
      expect(view.status).toBe('secure');
      expect(view.error).toMatch(/no parent server answered/);
    });

    it('turns off only after the DS is gone from the parent and its TTL has passed', async () => {
      const ds = await kskDs();
      parentHas([ds]);
      await t.app.dns.dnssecCheckParent(zone);
      await t.app.dns.dnssecTurnOff(zone);
      zone = await fresh();
      // RFC 8078 §4: the zone asks its parent to delete the DS.
      expect(await dig('secure.example.org', 'CDS')).toBe('0 0 0 00');
      expect(await dig('secure.example.org', 'CDNSKEY')).toBe('0 3 0 AA==');
      expect((await t.app.dns.dnssecCheckParent(zone)).turnOff).toMatchObject({ step: 1 });
      await expect(t.app.dns.dnssecFinishTurnOff(zone)).rejects.toThrow(
        /remove it at the registrar/,
      );

      parentHas([]);
      t.clock.advance(HOUR);
      const step2 = await t.app.dns.dnssecCheckParent(zone);
      expect(step2.status).toBe('waiting');
      expect(step2.turnOff).toMatchObject({ step: 2, name: 'wait' });
      // DS TTL 1 h (as last seen) plus an hour's margin, or the DNSKEY wait if longer.
      expect(Date.parse(step2.turnOff!.until!)).toBeGreaterThanOrEqual(t.clock.now() + 2 * HOUR);
      zone = await fresh();
      await expect(t.app.dns.dnssecFinishTurnOff(zone)).rejects.toThrow(/Caches may still hold/);
      expect((await fresh()).dnssec).toBe(1);
      expect(await dig('secure.example.org', 'DNSKEY')).toMatch(/^257 3 13 /m);

      t.clock.advance(3 * HOUR);
      zone = await fresh();
      const done = await t.app.dns.dnssecCheckParent(zone);
      expect(done).toMatchObject({ status: 'unsigned', turnOff: null });
      expect((await fresh()).dnssec).toBe(0);
      expect(await dig('secure.example.org', 'DNSKEY')).toBe('');
    });

    it('keeps signing when the owner cancels turning off, and names the KSK in CDS again', async () => {
      await t.app.dns.dnssecTurnOff(zone);
      zone = await fresh();
      expect(await dig('secure.example.org', 'CDS')).toBe('0 0 0 00');
      await t.app.dns.dnssecCancelTurnOff(zone);
      expect(await dig('secure.example.org', 'CDS')).toBe(await kskDs());
      expect((await t.app.dns.dnssecParent(zone)).turnOff).toBeNull();
    });
  },
);
