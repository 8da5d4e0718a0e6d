// The parent-side rules as pure functions: what a DS at the parent says of our keys, how
// observations accumulate, when turning off may stop signing, and the KSK rollover's stages.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameToWire } from '../wire/name.js';
import type { DnssecKeyRow } from './key-store.js';
import { dnskeyRdata, generateKey, keyTag } from './keys.js';
import { dsMatches, dsOfKey, kskRollover, observe, statusFrom, turnOffStep } from './parent.js';

const APEX = 'example.net.';
const HOUR = 3_600_000;
const timing = { fallbackDsTtlSeconds: 86_400, marginMs: HOUR, publishWaitMs: 3 * HOUR };

function ksk(
  id: string,
  state: DnssecKeyRow['state'],
  at = '2026-11-01T00:00:00.000Z',
): DnssecKeyRow {
  const k = generateKey(13);
  return {
    id,
    zone_id: 'z',
    role: 'ksk',
    algorithm: 13,
    key_tag: keyTag(dnskeyRdata(257, 13, k.publicKey)),
    public_key: Buffer.from(k.publicKey).toString('base64'),
    private_key: '',
    state,
    created_at: at,
    published_at: at,
    active_at: state === 'active' ? at : null,
    retired_at: state === 'retired' ? at : null,
    removed_at: null,
  };
}

describe('status from the parent’s DS', () => {
  const key = ksk('a', 'active');
  it('is secure for a matching DS of digest type 2, or 1, in any letter case', () => {
    expect(statusFrom(APEX, [key], [dsOfKey(APEX, key)])).toBe('secure');
    const sha1 = createHash('sha1')
      .update(nameToWire(APEX))
      .update(dnskeyRdata(257, 13, Buffer.from(key.public_key, 'base64')))
      .digest('hex');
    expect(dsMatches(`${key.key_tag} 13 1 ${sha1}`, APEX, key)).toBe(true);
    expect(statusFrom(APEX, [key], [dsOfKey(APEX, key).toLowerCase()])).toBe('secure');
  });
  it('is waiting with no DS, and mismatch when DS match no active key', () => {
    expect(statusFrom(APEX, [key], [])).toBe('waiting');
    expect(statusFrom(APEX, [key], [`${key.key_tag} 13 2 ${'00'.repeat(32)}`])).toBe('mismatch');
    const fresh = ksk('b', 'published');
    expect(statusFrom(APEX, [key, fresh], [dsOfKey(APEX, fresh)])).toBe('mismatch');
  });
});

describe('observations', () => {
  it('keeps since when each DS has been there, and when it went', () => {
    const one = observe({}, ['1 13 2 aa'], 't1');
    expect(one).toEqual({ '1 13 2 AA': { since: 't1', goneAt: null } });
    const two = observe(one, ['1 13 2 AA', '2 13 2 BB'], 't2');
    expect(two['1 13 2 AA']).toEqual({ since: 't1', goneAt: null });
    const three = observe(two, ['2 13 2 BB'], 't3');
    expect(three['1 13 2 AA']).toEqual({ since: 't1', goneAt: 't3' });
    expect(observe(three, ['2 13 2 BB'], 't4')['1 13 2 AA']!.goneAt).toBe('t3');
    expect(observe(three, ['1 13 2 AA'], 't5')['1 13 2 AA']).toEqual({ since: 't5', goneAt: null });
  });
});

describe('turning off', () => {
  const t0 = Date.parse('2026-11-27T00:00:00Z');
  it('waits for the DS to go, then for the longer of the DS TTL (plus margin) and the DNSKEY wait', () => {
    expect(turnOffStep({ dsAbsentSince: null, dsTtl: 3600 }, t0, timing).step).toBe(1);
    const absent = new Date(t0).toISOString();
    expect(turnOffStep({ dsAbsentSince: absent, dsTtl: 3600 }, t0 + 3 * HOUR - 1, timing)).toEqual({
      step: 2,
      name: 'wait',
      until: t0 + 3 * HOUR,
    });
    expect(turnOffStep({ dsAbsentSince: absent, dsTtl: 3600 }, t0 + 3 * HOUR, timing).step).toBe(3);
    // Never seen a DS TTL: a day plus the margin.
    expect(turnOffStep({ dsAbsentSince: absent, dsTtl: null }, t0 + 24 * HOUR, timing).step).toBe(
      2,
    );
    expect(turnOffStep({ dsAbsentSince: absent, dsTtl: null }, t0 + 25 * HOUR, timing).step).toBe(
      3,
    );
  });
});

describe('KSK rollover by double-DS', () => {
  const old = ksk('old', 'active');
  const fresh = ksk('new', 'published', '2026-11-27T00:00:00.000Z');
  const t0 = Date.parse('2026-11-27T00:00:00Z');
  it('asks for the new DS, and activates only after it has been at the parent for its TTL', () => {
    expect(kskRollover(APEX, [old, fresh], {}, 3600, t0, timing).stage?.stage).toBe('add-new-ds');
    const seen = observe(
      {},
      [dsOfKey(APEX, old), dsOfKey(APEX, fresh)],
      '2026-11-27T01:00:00.000Z',
    );
    const waiting = kskRollover(APEX, [old, fresh], seen, 3600, t0 + 2 * HOUR, timing);
    expect(waiting.stage?.stage).toBe('wait-new-ds');
    expect(waiting.action).toBeUndefined();
    const due = kskRollover(APEX, [old, fresh], seen, 3600, t0 + 3 * HOUR, timing);
    expect(due.action).toEqual({ kind: 'activate', newKey: 'new', oldKeys: ['old'] });
  });
  it('asks to remove the old DS, and removes the old key only after it has been gone for its TTL', () => {
    const retired = { ...old, state: 'retired' as const, retired_at: '2026-11-27T00:00:00.000Z' };
    const active = { ...fresh, state: 'active' as const };
    const both = observe(
      {},
      [dsOfKey(APEX, old), dsOfKey(APEX, fresh)],
      '2026-11-26T00:00:00.000Z',
    );
    expect(kskRollover(APEX, [retired, active], both, 3600, t0, timing).stage?.stage).toBe(
      'remove-old-ds',
    );
    const gone = observe(both, [dsOfKey(APEX, fresh)], '2026-11-27T05:00:00.000Z');
    const waiting = kskRollover(APEX, [retired, active], gone, 3600, t0 + 6 * HOUR, timing);
    expect(waiting.stage?.stage).toBe('wait-old-ds');
    expect(waiting.action).toBeUndefined();
    const due = kskRollover(APEX, [retired, active], gone, 3600, t0 + 7 * HOUR, timing);
    expect(due.action).toEqual({ kind: 'remove', key: 'old' });
  });
});
