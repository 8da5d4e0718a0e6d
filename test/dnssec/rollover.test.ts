// An automatic ZSK rollover run on a fake clock: at every serial along the way the AXFR'd zone
// verifies (ldns-verify-zone at the fake time), a new ZSK is published before it signs, and an
// old one stays published until its last signatures have expired from caches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullAccess } from '../../src/dns/index.js';
import { buildAccount } from '../fixtures/builders.js';
import { buildTestApp } from '../support/app.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { run } from '../dns-server/helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** DNSKEY key tags, ZSKs among them, and the key tags that made RRSIGs, from dig's AXFR text. */
function keysIn(axfr: string) {
  const zsks = new Set<number>();
  const all = new Set<number>();
  const signers = new Set<number>();
  for (const line of axfr.split('\n')) {
    const f = line.split(/\s+/);
    if (f[3] === 'DNSKEY') {
      // dig +rrcomments prints each DNSKEY's key tag ("; KSK; alg = ...; key id = N").
      const tag = Number(/key id = (\d+)/.exec(line)?.[1]);
      all.add(tag);
      if (f[4] === '256') zsks.add(tag);
    }
    if (f[3] === 'RRSIG' && f[4] !== 'DNSKEY' && f[4] !== 'CDS' && f[4] !== 'CDNSKEY')
      signers.add(Number(f[10]));
  }
  return { zsks, all, signers };
}

describe.skipIf(missingTools('dig', 'ldns-verify-zone').length > 0)('ZSK rollover', () => {
  it('rolls the ZSK after its lifetime without a step that fails to verify', async () => {
    const port = await freePort();
    const t = await buildTestApp({
      config: {
        dns: { listen: `127.0.0.1:${port}`, rrlPerSecond: 0, transfer: [{ cidr: '127.0.0.0/8' }] },
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'bestiary-rollover-'));
    try {
      await t.app.dns.start();
      const account = await buildAccount(t.app);
      const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
      await t.app.dns.zones.create(account.id, 'roll.org', 'dns-only', access.actor);
      const firstPublished = new Map<number, number>();
      const lastSigned = new Map<number, number>();
      const signersSeen = new Set<number>();
      let serial = -1;
      let removed = 0;
      for (let day = 0; day <= 110 * 4; day++) {
        t.clock.advance(6 * HOUR);
        await t.app.dns.syncFromDatabase();
        const now = t.clock.now();
        const served = t.app.dns.server.servedSerial('roll.org.')!;
        if (served === serial) continue;
        serial = served;
        const axfr = (
          await run('dig', [
            '@127.0.0.1',
            '-p',
            String(port),
            '+onesoa',
            '+nostats',
            '+nocmd',
            '+rrcomments',
            'roll.org',
            'AXFR',
          ])
        ).stdout;
        const file = join(dir, `roll-${serial}.zone`);
        writeFileSync(file, axfr);
        const at = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
        const verdict = await run('ldns-verify-zone', ['-V', '3', '-t', at, file]);
        expect(verdict.stdout + verdict.stderr, `serial ${serial}`).toMatch(
          /Zone is verified and complete/,
        );
        const { zsks, all, signers } = keysIn(axfr);
        for (const tag of all) if (!firstPublished.has(tag)) firstPublished.set(tag, now);
        for (const tag of signers) {
          // Pre-publication: a ZSK signs only after the DNSKEY TTL (1 h) has passed since it appeared.
          expect(now - firstPublished.get(tag)!).toSatisfy((ms: number) => ms === 0 || ms >= HOUR);
          lastSigned.set(tag, now);
          signersSeen.add(tag);
        }
        for (const [tag, when] of lastSigned)
          if (!zsks.has(tag)) {
            // Removed only once its signatures (TTL up to 7 days) are out of every cache.
            expect(now - when).toBeGreaterThanOrEqual(7 * DAY);
            lastSigned.delete(tag);
            removed++;
          }
      }
      expect(signersSeen.size).toBeGreaterThanOrEqual(2);
      expect(removed).toBeGreaterThanOrEqual(1);
    } finally {
      await t.app.dns.stop();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
