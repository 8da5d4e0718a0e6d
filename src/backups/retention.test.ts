// Retention never deletes the newest verified backup, whatever the sequence of good and failed runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRetention, type RetentionRun } from './retention.js';

const hour = 3600_000;

describe('planRetention', () => {
  it('never removes the newest good run, and keeps only good runs in GFS slots', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ good: fc.boolean(), gapHours: fc.integer({ min: 0, max: 24 * 40 }) }),
          { maxLength: 60 },
        ),
        fc.record({ last: fc.nat(5), daily: fc.nat(8), weekly: fc.nat(6), monthly: fc.nat(13) }),
        (steps, policy) => {
          let t = Date.UTC(2026, 0, 1);
          const runs: RetentionRun[] = steps.map((st, i) => {
            t += st.gapHours * hour;
            return {
              id: `r${String(i).padStart(3, '0')}`,
              status: st.good ? 'good' : 'failed',
              startedAt: t,
              prunedAt: null,
            };
          });
          const plan = planRetention(runs, policy);
          const newestGood = [...runs].reverse().find((r) => r.status === 'good');
          if (newestGood) expect(plan.remove).not.toContain(newestGood.id);
          for (const id of Object.keys(plan.reasons))
            expect(runs.find((r) => r.id === id)?.status).toBe('good');
          expect(new Set([...plan.keep, ...plan.remove]).size).toBe(runs.length);
        },
      ),
      { numRuns: 10_000 },
    );
  }, 60_000);

  it('keeps the newest run of each day, week and month up to the policy', () => {
    const day = 24 * hour;
    const start = Date.UTC(2026, 0, 5); // a Monday
    const runs: RetentionRun[] = Array.from({ length: 40 }, (_, i) => ({
      id: `d${String(i).padStart(2, '0')}`,
      status: 'good',
      startedAt: start + i * day,
      prunedAt: null,
    }));
    const plan = planRetention(runs, { last: 2, daily: 3, weekly: 2, monthly: 2 });
    expect(plan.keep.sort()).toEqual(['d26', 'd34', 'd37', 'd38', 'd39'].sort());
  });

  it('keeps a failed run newer than the last good one as evidence, and removes older failures', () => {
    const runs: RetentionRun[] = [
      { id: 'a', status: 'failed', startedAt: 1, prunedAt: null },
      { id: 'b', status: 'good', startedAt: 2, prunedAt: null },
      { id: 'c', status: 'failed', startedAt: 3, prunedAt: null },
    ];
    const plan = planRetention(runs, { last: 1, daily: 0, weekly: 0, monthly: 0 });
    expect(plan.remove).toEqual(['a']);
    expect(plan.keep.sort()).toEqual(['b', 'c']);
  });
});
