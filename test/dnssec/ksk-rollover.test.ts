// A KSK rollover by double-DS (RFC 6781 §4.1.2) on a fake clock against a local fake parent whose
// DS the test changes as a customer would at the registrar. At every step the zone validates from
// the parent's trust anchor (a fresh validating unbound) and against every DS set a resolver may
// still have cached (ldns-verify-zone -k), and Bestiary only moves on once the parent shows it may.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp } from '../support/app.js';
import { enginesUnderTest } from '../support/databases.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { flagsOf, run, statusOf } from '../dns-server/helpers.js';
import { fakeParent, startUnbound } from './support.js';

const HOUR = 3_600_000;
const engines = await enginesUnderTest();
const ZONE = 'secure.example.org';

describe.skipIf(missingTools('dig', 'ldns-verify-zone', 'unbound').length > 0).each(engines)(
  'KSK rollover (%s)',
  (engine) => {
    it('rolls the KSK by double-DS without a step that fails to validate', async () => {
      const port = await freePort();
      const t = await buildTestApp({
        engine,
        config: {
          dns: {
            listen: `127.0.0.1:${port}`,
            rrlPerSecond: 0,
            transfer: [{ cidr: '127.0.0.0/8' }],
            dnssec: { parentServers: [`127.0.0.1:${port}`] },
          },
        },
      });
      // Real validators check signatures against real time: run the rollover in the recent past.
      t.clock.set(Date.now() - 24 * HOUR);
      const dir = mkdtempSync(join(tmpdir(), 'bestiary-ksk-'));
      let parentSerial = 1;
      let step = 0;
      try {
        await t.app.dns.start();
        const account = await buildAccount(t.app);
        const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'api' });
        await t.app.dns.zones.create(account.id, ZONE, 'dns-only', access.actor);
        const zone = () => t.app.dns.zones.named(ZONE);
        const dig = async (...args: string[]) =>
          (await run('dig', ['@127.0.0.1', '-p', String(port), ...args])).stdout;
        const parentHas = (ds: readonly string[]) =>
          t.app.dns.server.replaceZone(fakeParent('secure', ds, ++parentSerial));
        const check = async () => t.app.dns.dnssecCheckParent(await zone());
        const ksks = async () =>
          (await t.app.dns.dnssecKeys(await zone())).filter((k) => k.role === 'ksk');

        /** Validates for a resolver holding any of these DS sets, and for a fresh unbound now. */
        async function validates(dsSets: readonly (readonly string[])[]) {
          step += 1;
          await t.app.dns.syncFromDatabase();
          const axfr = await dig('+onesoa', '+nocmd', '+nostats', ZONE, 'AXFR');
          const file = join(dir, `step-${step}.zone`);
          writeFileSync(file, axfr);
          const at = new Date(t.clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14);
          for (const [i, set] of dsSets.entries()) {
            const anchors = join(dir, `step-${step}-${i}.ds`);
            writeFileSync(anchors, set.map((ds) => `${ZONE}. 3600 IN DS ${ds}\n`).join(''));
            const v = await run('ldns-verify-zone', ['-V', '3', '-k', anchors, '-t', at, file]);
            expect(v.stdout + v.stderr, `step ${step}, DS ${set.join(' / ')}`).toMatch(
              /Zone is verified and complete/,
            );
          }
          const unbound = await startUnbound(port);
          try {
            const out = await unbound.dig(`www.${ZONE}`, 'A');
            expect(statusOf(out), `step ${step}: ${out}`).toBe('NOERROR');
            expect(flagsOf(out), `step ${step}: ${out}`).toContain('ad');
          } finally {
            await unbound.stop();
          }
        }
        const cds = async () =>
          (await dig('+short', '+nosplit', ZONE, 'CDS')).trim().split('\n').sort();

        await t.app.dns.records.add(access, await zone(), [
          { name: `www.${ZONE}.`, ttl: 300, type: 'A', data: { address: '192.0.2.80' } },
        ] as never);
        const oldKey = (await ksks())[0]!;
        const oldDs = oldKey.ds!;
        parentHas([oldDs]);
        expect((await check()).status).toBe('secure');
        await validates([[oldDs]]);
        expect(await dig('+short', '+nosplit', ZONE, 'DNSKEY')).toContain(oldKey.dnskey);

        // A control: a DS that matches no key must fail, or the checks above prove nothing.
        const bogus = `${(await ksks())[0]!.keyTag} 13 2 ${'00'.repeat(32)}`;
        await expect(validates([[bogus]])).rejects.toThrow();

        // 1. The customer starts the rollover: a new KSK is published, signing nothing yet.
        await t.app.dns.dnssecRollKsk(await zone());
        const newKey = (await ksks()).find((k) => k.state === 'published')!;
        const newDs = newKey.ds!;
        let view = await check();
        expect(view.kskRollover).toMatchObject({ stage: 'add-new-ds', ds: newDs });
        expect(await cds()).toEqual([oldDs, newDs].sort());
        await validates([[oldDs]]);
        t.clock.advance(6 * HOUR);
        expect((await check()).kskRollover?.stage).toBe('add-new-ds'); // no DS, no progress

        // 2. The customer adds the new DS next to the old one; Bestiary waits for caches.
        parentHas([oldDs, newDs]);
        view = await check();
        expect(view).toMatchObject({ status: 'secure', kskRollover: { stage: 'wait-new-ds' } });
        expect((await ksks()).find((k) => k.id === newKey.id)!.state).toBe('published');
        await validates([[oldDs], [oldDs, newDs]]);

        // 3. After the DS TTL: the new KSK signs the DNSKEY RRset, the old one is retired.
        t.clock.advance(Date.parse(view.kskRollover!.until!) - t.clock.now());
        view = await check();
        expect(view.kskRollover).toMatchObject({ stage: 'remove-old-ds', ds: oldDs });
        expect((await ksks()).map((k) => k.state).sort()).toEqual(['active', 'retired']);
        expect(await cds()).toEqual([newDs]);
        await validates([[oldDs, newDs]]);

        // 4. The customer removes the old DS; the old KSK stays until caches have let go of it.
        parentHas([newDs]);
        view = await check();
        expect(view.kskRollover).toMatchObject({ stage: 'wait-old-ds' });
        expect((await ksks()).length).toBe(2);
        await validates([[oldDs, newDs], [newDs]]);

        // 5. After the DS TTL the old KSK goes; the rollover is over.
        t.clock.advance(Date.parse(view.kskRollover!.until!) - t.clock.now());
        view = await check();
        expect(view).toMatchObject({ status: 'secure', kskRollover: null });
        expect((await ksks()).map((k) => k.ds)).toEqual([newDs]);
        expect(await dig('+short', '+nosplit', ZONE, 'DNSKEY')).not.toContain(oldKey.dnskey);
        await validates([[newDs]]);
      } finally {
        await t.app.dns.stop();
        await t.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  },
);
