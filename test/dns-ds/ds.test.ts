// A customer delegates a signed child zone: the DS they add through the API is refused anywhere but
// a delegation, is served in referrals and to DS queries at the cut, and, when the parent zone is
// signed, carries the parent's RRSIG, validates in a real unbound given only the parent's DS, and the
// transferred zone passes ldns-verify-zone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagsOf, run, statusOf } from '../dns-server/helpers.js';
import { dnsApiSetup, parse } from '../dns-api/support.js';
import { freePort } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { startUnbound } from '../dnssec/support.js';

const digest = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const dsJson = {
  host: 'child',
  type: 'DS',
  ttl: 3600,
  ds_key_tag: 2371,
  ds_algorithm: 13,
  ds_digest_type: 2,
  data: digest,
};
const nsJson = { host: 'child', type: 'NS', ttl: 3600, data: 'ns1.child-host.example.' };
const path = '/dns/v2/zones/example.com/records';

async function setup(signed: boolean) {
  const port = await freePort();
  const s = await dnsApiSetup({
    config: {
      dns: {
        listen: `127.0.0.1:${port}`,
        rrlPerSecond: 0,
        dnssec: { defaultOn: signed },
        transfer: [{ cidr: '127.0.0.0/8' }],
      },
    },
  });
  await s.t.app.dns.start();
  const dig = async (...args: string[]) =>
    (
      await run('dig', [
        '@127.0.0.1',
        '-p',
        String(port),
        '+norec',
        '+nosplit',
        '+time=2',
        '+tries=1',
        ...args,
      ])
    ).stdout;
  return {
    ...s,
    port,
    dig,
    async close() {
      await s.t.app.dns.stop();
      await s.t.close();
    },
  };
}

describe.skipIf(missingTools('dig').length > 0)('DS records through the API', () => {
  it('refuses a DS where nothing is delegated, with a message saying NS is needed', async () => {
    const s = await setup(false);
    try {
      const reply = await s.call('POST', path, { json: { records: [dsJson] } });
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/DS at child\.example\.com\. needs NS records at the same name/);
      const apex = await s.call('POST', path, { json: { records: [{ ...dsJson, host: '@' }] } });
      expect(apex.status).toBe(400);
      expect(apex.text).toMatch(/DS is not allowed at the zone apex/);
      expect((await s.records()).filter((r) => r.type === 'DS')).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('stores the digest lower case and serves the DS in the referral of an unsigned parent', async () => {
    const s = await setup(false);
    try {
      const reply = await s.call('POST', path, { json: { records: [nsJson, dsJson] } });
      expect(reply.status, reply.text).toBe(200);
      expect(parse(reply)).toMatchObject({ records_added: 2 });
      expect((await s.records()).find((r) => r.type === 'DS')).toMatchObject({
        host: 'child',
        data: digest.toLowerCase(),
        ds_key_tag: 2371,
      });
      const ds = await s.dig('+dnssec', 'child.example.com', 'DS');
      expect(statusOf(ds)).toBe('NOERROR');
      expect(flagsOf(ds)).toContain('aa');
      expect(ds).toMatch(
        new RegExp(`child\\.example\\.com\\.\\s+3600\\s+IN\\s+DS\\s+2371 13 2 ${digest}`),
      );
      const referral = await s.dig('www.child.example.com', 'A');
      expect(flagsOf(referral)).not.toContain('aa');
      expect(referral).toMatch(
        /AUTHORITY SECTION:[\s\S]*child\.example\.com\.\s+3600\s+IN\s+NS\s+ns1\.child-host\.example\./,
      );
    } finally {
      await s.close();
    }
  });

  it.skipIf(missingTools('unbound').length > 0)(
    'signs the DS in a signed parent, and unbound validates it from the parent’s trust anchor',
    async () => {
      const s = await setup(true);
      let unbound: { dig(...a: string[]): Promise<string>; stop(): Promise<void> } | undefined;
      try {
        expect(s.zone.dnssec).toBe(1);
        const reply = await s.call('POST', path, { json: { records: [nsJson, dsJson] } });
        expect(reply.status, reply.text).toBe(200);
        const direct = await s.dig('+dnssec', 'child.example.com', 'DS');
        expect(direct).toMatch(/IN\s+DS\s+2371 13 2 /);
        expect(direct).toMatch(/IN\s+RRSIG\s+DS 13 3 3600 /);
        // A DO referral carries the DS and its signature beside the NS (RFC 4035 §3.1.4).
        const referral = await s.dig('+dnssec', 'www.child.example.com', 'A');
        expect(referral).toMatch(
          /AUTHORITY SECTION:[\s\S]*IN\s+DS\s+2371 13 2 [\s\S]*IN\s+RRSIG\s+DS /,
        );
        const ksk = (await s.t.app.dns.dnssecKeys(s.zone)).find((k) => k.role === 'ksk')!;
        unbound = await startUnbound(s.port, {
          anchor: `example.com. 3600 IN DS ${ksk.ds}`,
          zones: ['example.com'],
        });
        const validated = await unbound.dig('child.example.com', 'DS');
        expect(statusOf(validated), validated).toBe('NOERROR');
        expect(flagsOf(validated)).toContain('ad');
        expect(validated).toMatch(/IN\s+DS\s+2371 13 2 /);
      } finally {
        await unbound?.stop();
        await s.close();
      }
    },
  );
});

describe.skipIf(missingTools('dig', 'ldns-verify-zone').length > 0)(
  'a signed zone with a DS',
  () => {
    it('passes ldns-verify-zone over AXFR: the DS signed, the delegation NS not', async () => {
      const s = await setup(true);
      const dir = mkdtempSync(join(tmpdir(), 'bestiary-ds-axfr-'));
      try {
        const reply = await s.call('POST', path, { json: { records: [nsJson, dsJson] } });
        expect(reply.status, reply.text).toBe(200);
        const axfr = await s.dig('+onesoa', '+nocmd', '+nostats', 'example.com', 'AXFR');
        expect(axfr).toMatch(/child\.example\.com\.\s+3600\s+IN\s+RRSIG\s+DS /);
        expect(axfr).not.toMatch(/child\.example\.com\.\s+\d+\s+IN\s+RRSIG\s+NS /);
        const file = join(dir, 'example.com.zone');
        writeFileSync(file, axfr);
        const { stdout, stderr } = await run('ldns-verify-zone', ['-V', '3', file]);
        expect(stdout + stderr).toMatch(/Zone is verified and complete/);
      } finally {
        await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
