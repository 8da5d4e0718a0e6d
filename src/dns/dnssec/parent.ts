// The zone as its parent sees it, and the steps that wait on the parent: what the parent's DS
// says of our KSKs (secure, waiting, mismatch), turning DNSSEC off safely (remove the DS, wait
// out its TTL and the DNSKEY TTL, then stop signing), and the KSK rollover by double-DS
// (RFC 6781 §4.1.2). Pure functions over the keys, the DS seen at the parent and the time.
import { createHash } from 'node:crypto';
import { nameToWire } from '../wire/name.js';
import type { DnssecKeyRow } from './key-store.js';
import { dnskeyRdata, dsRdata, dsText, flagsOf } from './keys.js';

export type ParentStatus = 'unsigned' | 'unknown' | 'waiting' | 'secure' | 'mismatch';

/** Each DS (presentation text, digest upper-case) ever seen at the parent: since when, and when it went. */
export type SeenDs = Record<string, { since: string; goneAt: string | null }>;

const normal = (ds: string): string => {
  const [tag, alg, type, ...digest] = ds.trim().split(/\s+/);
  return `${Number(tag)} ${Number(alg)} ${Number(type)} ${digest.join('').toUpperCase()}`;
};

/** Fold one answer from the parent into what has been seen. */
export function observe(seen: SeenDs, parentDs: readonly string[], now: string): SeenDs {
  const present = new Set(parentDs.map(normal));
  const out: SeenDs = {};
  for (const [ds, s] of Object.entries(seen))
    out[ds] = present.has(ds)
      ? { since: s.goneAt ? now : s.since, goneAt: null }
      : { since: s.since, goneAt: s.goneAt ?? now };
  for (const ds of present) out[ds] ??= { since: now, goneAt: null };
  return out;
}

export const presentDs = (seen: SeenDs): string[] =>
  Object.entries(seen)
    .filter(([, s]) => !s.goneAt)
    .map(([ds]) => ds);

const digests: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };

/** Does this DS (any digest type we know: RFC 4034 §5.1.4, RFC 4509, RFC 6605) point at this key? */
export function dsMatches(ds: string, apex: string, key: DnssecKeyRow): boolean {
  const [tag, alg, type, digest] = normal(ds).split(' ');
  if (Number(tag) !== key.key_tag || Number(alg) !== key.algorithm) return false;
  const hash = digests[Number(type)];
  if (!hash) return false;
  const dnskey = dnskeyRdata(
    flagsOf(key.role),
    key.algorithm,
    Buffer.from(key.public_key, 'base64'),
  );
  const want = createHash(hash).update(nameToWire(apex)).update(dnskey).digest('hex');
  return want.toUpperCase() === digest;
}

/** The DS (digest type 2) a registrar should hold for a KSK. */
export const dsOfKey = (apex: string, key: DnssecKeyRow): string =>
  dsText(
    dsRdata(
      apex,
      dnskeyRdata(flagsOf(key.role), key.algorithm, Buffer.from(key.public_key, 'base64')),
    ),
  );

/**
 * The zone's status from the parent's DS: secure when one matches an active KSK (RFC 4035 §5),
 * waiting when there is none, mismatch when there are DS and none matches (validators then
 * fail the zone: RFC 4035 §5.2).
 */
export function statusFrom(
  apex: string,
  keys: readonly DnssecKeyRow[],
  parentDs: readonly string[],
): Exclude<ParentStatus, 'unsigned' | 'unknown'> {
  if (parentDs.length === 0) return 'waiting';
  const active = keys.filter((k) => k.role === 'ksk' && k.state === 'active');
  return parentDs.some((ds) => active.some((k) => dsMatches(ds, apex, k))) ? 'secure' : 'mismatch';
}

export interface ParentTiming {
  /** The DS TTL to assume when none has been seen (a TLD's is usually a day or less). */
  fallbackDsTtlSeconds: number;
  /** DNSKEY TTL plus the time secondaries take to load the zone. */
  publishWaitMs: number;
  /** Added to a DS TTL: other servers of the parent may pick a change up later than the one asked. */
  marginMs: number;
}

const at = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Infinity);
const dsWaitMs = (dsTtl: number | null, t: ParentTiming) =>
  (dsTtl ?? t.fallbackDsTtlSeconds) * 1000 + t.marginMs;

export type TurnOffStep =
  | { step: 1; name: 'remove-ds' }
  | { step: 2; name: 'wait'; until: number }
  | { step: 3; name: 'stop-signing' };

/**
 * Where turning DNSSEC off stands (RFC 6781 §4.3.5.2 in reverse, RFC 8078 §4): the DS must be gone
 * from the parent, then caches must have let go of it (DS TTL) and of the DNSKEY RRset (its TTL),
 * and only then may signing stop.
 */
export function turnOffStep(
  state: { dsAbsentSince: string | null; dsTtl: number | null },
  now: number,
  t: ParentTiming,
): TurnOffStep {
  if (!state.dsAbsentSince) return { step: 1, name: 'remove-ds' };
  const until = at(state.dsAbsentSince) + Math.max(dsWaitMs(state.dsTtl, t), t.publishWaitMs);
  return until > now ? { step: 2, name: 'wait', until } : { step: 3, name: 'stop-signing' };
}

export type KskRollover =
  | { stage: 'add-new-ds'; newKey: DnssecKeyRow; ds: string }
  | { stage: 'wait-new-ds'; newKey: DnssecKeyRow; ds: string; until: number }
  | { stage: 'remove-old-ds'; oldKey: DnssecKeyRow; ds: string }
  | { stage: 'wait-old-ds'; oldKey: DnssecKeyRow; ds: string; until: number };

export type KskAction =
  { kind: 'activate'; newKey: string; oldKeys: string[] } | { kind: 'remove'; key: string };

/**
 * The KSK rollover by double-DS (RFC 6781 §4.1.2): a new KSK is published (in the DNSKEY RRset,
 * signing nothing); once its DS has been at the parent for the DS TTL (and the new DNSKEY RRset
 * has reached caches) it takes over signing the DNSKEY RRset and the old one is retired; once the
 * old DS has been gone from the parent for the DS TTL the old KSK is removed. Returns the stage
 * and the action due now, if any.
 */
export function kskRollover(
  apex: string,
  keys: readonly DnssecKeyRow[],
  seen: SeenDs,
  dsTtl: number | null,
  now: number,
  t: ParentTiming,
): { stage?: KskRollover; action?: KskAction } {
  const ksks = keys.filter((k) => k.role === 'ksk');
  const seenFor = (k: DnssecKeyRow) =>
    Object.entries(seen).filter(([ds]) => dsMatches(ds, apex, k));
  const fresh = ksks.find((k) => k.state === 'published');
  if (fresh) {
    const ds = dsOfKey(apex, fresh);
    const present = seenFor(fresh).filter(([, s]) => !s.goneAt);
    if (present.length === 0) return { stage: { stage: 'add-new-ds', newKey: fresh, ds } };
    const since = Math.min(...present.map(([, s]) => at(s.since)));
    const until = Math.max(since + dsWaitMs(dsTtl, t), at(fresh.published_at) + t.publishWaitMs);
    const stage = { stage: 'wait-new-ds' as const, newKey: fresh, ds, until };
    if (until > now) return { stage };
    const oldKeys = ksks.filter((k) => k.state === 'active').map((k) => k.id);
    return { stage, action: { kind: 'activate', newKey: fresh.id, oldKeys } };
  }
  const old = ksks.find((k) => k.state === 'retired');
  if (!old) return {};
  const ds = dsOfKey(apex, old);
  const entries = seenFor(old);
  if (entries.some(([, s]) => !s.goneAt))
    return { stage: { stage: 'remove-old-ds', oldKey: old, ds } };
  const gone = Math.max(at(old.retired_at), ...entries.map(([, s]) => at(s.goneAt)));
  const until = gone + dsWaitMs(dsTtl, t);
  const stage = { stage: 'wait-old-ds' as const, oldKey: old, ds, until };
  return until > now ? { stage } : { stage, action: { kind: 'remove', key: old.id } };
}
