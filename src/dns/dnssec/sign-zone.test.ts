import { describe, expect, it } from 'vitest';
import { buildZone } from '../server/testing/zone-builder.js';
import { RRType } from '../wire/constants.js';
import { dnskeyRdata, flagsOf, generateKey, keyTag, signerFor } from './keys.js';
import { createSigning, type SignatureCache, type ZoneKey } from './signatures.js';
import { signSnapshot } from './sign-zone.js';

const policy = { validityDays: 14, jitterHours: 24, refreshDays: 7 };
const DAY = 86_400_000;

function setup() {
  let signatures = 0;
  const keys: ZoneKey[] = (['ksk', 'zsk'] as const).map((role) => {
    const k = generateKey(13);
    const dnskey = dnskeyRdata(flagsOf(role), 13, k.publicKey);
    const sign = signerFor(13, k.privateKeyDer);
    return {
      id: role,
      role,
      algorithm: 13,
      tag: keyTag(dnskey),
      dnskey,
      active: true,
      sign: (d: Uint8Array) => (signatures++, sign(d)),
    };
  });
  let cache: SignatureCache = new Map();
  const zone = (serial: number, www: string) =>
    buildZone(
      'example.org.',
      [
        ['@', 'NS', 'ns1.example.org.'],
        ['ns1', 'A', '192.0.2.53'],
        ['www', 'A', www],
        ['a.b', 'TXT', 'deep'],
        ['sub', 'NS', 'ns.sub.example.org.'],
        ['ns.sub', 'A', '192.0.2.77'],
      ],
      { serial },
    );
  const build = (serial: number, www: string, now: number) => {
    const signing = createSigning('example.org.', now, policy, cache, () => 0.5);
    const signed = signSnapshot(zone(serial, www), keys, signing);
    cache = signing.cache();
    return { signed, refreshAt: signing.refreshAt() };
  };
  return { build, count: () => signatures };
}

const sigsOver = (records: { type: number; name: string; rdata: Uint8Array }[], type: number) =>
  records.filter((r) => r.type === RRType.RRSIG && Buffer.from(r.rdata).readUInt16BE(0) === type);

describe('signing a zone', () => {
  it('signs authoritative data and hashes every name, but neither signs nor hashes glue or the cut NS', () => {
    const { build } = setup();
    const { signed } = build(1, '192.0.2.1', Date.UTC(2026, 10, 27));
    const owners = (type: number) => sigsOver([...signed.records], type).map((r) => r.name);
    expect(owners(RRType.A).sort()).toEqual(['ns1.example.org.', 'www.example.org.']);
    expect(owners(RRType.NS)).toEqual(['example.org.']);
    expect(owners(RRType.DNSKEY)).toEqual(['example.org.']);
    expect(owners(RRType.SOA)).toEqual(['example.org.']);
    // apex, ns1, www, a.b, b (empty non-terminal), sub: six NSEC3 records.
    expect(signed.records.filter((r) => r.type === RRType.NSEC3)).toHaveLength(6);
  });

  it('re-signs only the changed RRset, the SOA and the NSEC3 chain it touched', () => {
    const { build, count } = setup();
    const now = Date.UTC(2026, 10, 27);
    build(1, '192.0.2.1', now);
    const first = count();
    build(2, '192.0.2.2', now + 1000);
    expect(count() - first).toBe(2); // www A and the SOA; the names (and NSEC3) are unchanged
  });

  it('keeps signatures until fewer than refreshDays (plus the jitter window) remain, with jitter in their expiry', () => {
    const { build, count } = setup();
    const now = Date.UTC(2026, 10, 27);
    const { signed, refreshAt } = build(1, '192.0.2.1', now);
    const rrsig = Buffer.from(sigsOver([...signed.records], RRType.A)[0]!.rdata);
    expect(rrsig.readUInt32BE(8) - now / 1000).toBe(14 * 86_400 + 12 * 3600);
    expect(rrsig.readUInt32BE(12)).toBe(now / 1000 - 3600);
    expect(refreshAt).toBe(now + 7 * DAY + 12 * 3_600_000);
    const first = count();
    build(1, '192.0.2.1', now + 6 * DAY);
    expect(count()).toBe(first);
    // Within the jitter window of refreshAt the whole batch renews at once.
    build(1, '192.0.2.1', now + 7 * DAY);
    expect(count()).toBe(2 * first);
  });
});
