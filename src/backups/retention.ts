// Retention: keep the last N good runs plus the newest good run of D days, W ISO weeks, M months.
// Only good (verified) runs count or fill slots; the newest good run is always kept.
import type { BackupRun, RetentionPolicy } from './types.js';

export type RetentionRun = Pick<BackupRun, 'id' | 'status' | 'startedAt' | 'prunedAt'>;

export interface RetentionPlan {
  keep: string[];
  /** Runs whose artifacts may be deleted now. */
  remove: string[];
  /** Why each kept run is kept (`last`, `daily 2026-11-27`, …). */
  reasons: Record<string, string[]>;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const month = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
function isoWeek(ms: number): string {
  const d = new Date(ms);
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(t - dow * 86400_000 + 3 * 86400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Decide which runs to keep. Failed runs never fill a slot; their artifacts are removed once a
 * newer good run exists (until then they are the only evidence, so they stay). Running runs and
 * already-pruned runs are left alone.
 */
export function planRetention(
  runs: readonly RetentionRun[],
  policy: RetentionPolicy,
): RetentionPlan {
  const live = runs.filter((r) => r.prunedAt === null && r.status !== 'running');
  const good = live
    .filter((r) => r.status === 'good')
    .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
  const reasons: Record<string, string[]> = {};
  const keepFor = (id: string, why: string) => (reasons[id] ??= []).push(why);
  good
    .slice(0, Math.max(1, policy.last))
    .forEach((r, i) => keepFor(r.id, i < policy.last ? 'last' : 'newest good'));
  const buckets = (n: number, key: (ms: number) => string, label: string) => {
    const seen = new Set<string>();
    for (const r of good) {
      if (seen.size >= n) break;
      const k = key(r.startedAt);
      if (seen.has(k)) continue;
      seen.add(k);
      keepFor(r.id, `${label} ${k}`);
    }
  };
  buckets(policy.daily, day, 'daily');
  buckets(policy.weekly, isoWeek, 'weekly');
  buckets(policy.monthly, month, 'monthly');
  const newestGood = good[0]?.startedAt ?? Infinity;
  const keep: string[] = [];
  const remove: string[] = [];
  for (const r of live) {
    if (reasons[r.id]) keep.push(r.id);
    else if (r.status === 'good' || r.startedAt < newestGood) remove.push(r.id);
    else keep.push(r.id);
  }
  return { keep, remove, reasons };
}
