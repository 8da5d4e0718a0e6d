// Automatic ZSK rollover by pre-publication (RFC 6781 §4.1.1.1, timings from RFC 7583 §3.2):
// a new ZSK is published, then after the DNSKEY RRset has had time to reach every cache it takes
// over signing while the old key stays published, and the old key goes once every signature it
// made has expired from caches. Each step needs a new serial. The KSK is never rolled here: that
// changes the DS at the parent and is the customer's (or the built-in registrar's) step.
import type { DnssecKeyRow } from './key-store.js';

export interface RolloverTiming {
  /** How long a ZSK signs before the next rollover starts. */
  lifetimeMs: number;
  /** Publish-to-active: DNSKEY TTL plus time for secondaries to load the zone. */
  publishWaitMs: number;
  /** Retire-to-removal: the longest TTL of any signed RRset plus propagation. */
  retireWaitMs: number;
}

export type RolloverStep =
  | { kind: 'publish' }
  | { kind: 'activate'; newKey: string; oldKeys: string[] }
  | { kind: 'remove'; key: string };

const at = (iso: string | null): number => (iso ? Date.parse(iso) : Infinity);

/** The next step of the zone's ZSK rollover that is due at `now`, and when the one after is due. */
export function zskStep(
  rows: readonly DnssecKeyRow[],
  now: number,
  t: RolloverTiming,
): { step?: RolloverStep; nextAt: number } {
  const zsks = rows.filter((r) => r.role === 'zsk');
  const active = zsks.filter((r) => r.state === 'active');
  const published = zsks.find((r) => r.state === 'published');
  const retired = zsks.filter((r) => r.state === 'retired');
  const due: number[] = [];
  for (const r of retired) {
    const when = at(r.retired_at) + t.retireWaitMs;
    if (when <= now) return { step: { kind: 'remove', key: r.id }, nextAt: now };
    due.push(when);
  }
  if (published) {
    const when = at(published.published_at) + t.publishWaitMs;
    if (when <= now)
      return {
        step: { kind: 'activate', newKey: published.id, oldKeys: active.map((r) => r.id) },
        nextAt: now,
      };
    due.push(when);
  } else if (retired.length === 0) {
    // One rollover at a time: the next starts once the previous old key is gone.
    const oldest = Math.min(...active.map((r) => at(r.active_at)));
    const when = oldest + t.lifetimeMs;
    if (when <= now) return { step: { kind: 'publish' }, nextAt: now };
    due.push(when);
  }
  return { nextAt: Math.min(...due) };
}
