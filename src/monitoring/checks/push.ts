// Push/heartbeat: a cron job or backup calls in; a missing, early, too-fast or failed run is down.
import type { BeatRecord, Check } from './check.js';
import { formatDuration } from '../format.js';
import type { PushParams } from '../types.js';

export type BeatKind = 'success' | 'start' | 'fail';

/** A fresh record for a push check created at `now`. */
export const newBeatRecord = (now: number): BeatRecord => ({
  lastAt: null,
  startedAt: null,
  failed: null,
  flagged: null,
  since: now,
});

/**
 * What one beat does to the record (pure). `message` is the failing run's text for `fail`.
 * Rules are judged here, when the beat arrives, because only now is the timing known.
 */
export function applyBeat(
  rec: BeatRecord,
  p: PushParams,
  kind: BeatKind,
  now: number,
  message = '',
): BeatRecord {
  if (kind === 'start') return { ...rec, startedAt: now };
  if (kind === 'fail')
    return { ...rec, startedAt: null, failed: { at: now, message: message || 'run failed' } };
  let flagged: BeatRecord['flagged'] = null;
  const ran = rec.startedAt !== null ? now - rec.startedAt : null;
  if (p.minRunMs && ran !== null && ran < p.minRunMs)
    flagged = {
      at: now,
      message: `run took ${formatDuration(ran)}, expected at least ${formatDuration(p.minRunMs)} (too fast)`,
    };
  else if (p.earlyMs && rec.lastAt !== null && now < rec.lastAt + p.periodMs - p.earlyMs)
    flagged = {
      at: now,
      message: `beat ${formatDuration(rec.lastAt + p.periodMs - now)} early (too early)`,
    };
  return { ...rec, lastAt: now, startedAt: null, failed: null, flagged };
}

export const push: Check<'push'> = {
  type: 'push',
  // Passive: nothing is contacted, so every push check may be judged at once.
  hostOf: () => '',
  async run(p, ctx) {
    const rec = ctx.beat(ctx.checkId);
    const now = ctx.now();
    const every = formatDuration(p.periodMs);
    if (!rec) return { status: 'unknown', message: 'no beat record' };
    if (rec.failed && (rec.lastAt === null || rec.failed.at >= rec.lastAt))
      return { status: 'down', message: rec.failed.message };
    if (rec.flagged) return { status: 'down', message: rec.flagged.message };
    const deadline = p.periodMs + p.graceMs;
    if (rec.lastAt === null)
      return now - rec.since > deadline
        ? {
            status: 'down',
            message: `no beat received in ${formatDuration(now - rec.since)} (expected every ${every})`,
          }
        : { status: 'unknown', message: 'waiting for the first beat' };
    const age = now - rec.lastAt;
    if (age > deadline)
      return {
        status: 'down',
        message: `no beat for ${formatDuration(age)} (expected every ${every})`,
      };
    return { status: 'up', message: `last beat ${formatDuration(age)} ago` };
  },
};
