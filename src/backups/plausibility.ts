// Size, row-count and duration plausibility against the target's recent good runs.
import type { ProofLine } from './formats/scanner.js';
import { formatBytes, formatDuration } from './report.js';
import type { BackupRun } from './types.js';

export interface RunFigures {
  rawBytes: number;
  rows: number;
  durationMs: number;
}

export const figuresOf = (run: Pick<BackupRun, 'artifacts' | 'durationMs'>): RunFigures => ({
  rawBytes: run.artifacts.reduce((s, a) => s + a.rawBytes, 0),
  rows: run.artifacts.reduce((s, a) => s + a.tables.reduce((r, t) => r + t.rows, 0), 0),
  durationMs: run.durationMs ?? 0,
});

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Compare with the median of up to `window` recent good runs (needs `minHistory` of them):
 * below 70% WARN, below 30% ERROR for size and rows; under 30% of the usual duration WARN.
 */
export function judgePlausibility(
  current: RunFigures,
  history: readonly BackupRun[],
  options: { window?: number; minHistory?: number } = {},
): ProofLine[] {
  const good = history.filter((r) => r.status === 'good').slice(0, options.window ?? 7);
  if (good.length < (options.minHistory ?? 3))
    return [
      {
        level: 'INFO',
        text: `plausibility: ${good.length} earlier good run(s), not enough to judge`,
      },
    ];
  const past = good.map(figuresOf);
  const lines: ProofLine[] = [];
  const check = (what: string, now: number, usual: number, show: (n: number) => string) => {
    if (usual <= 0) return;
    const ratio = now / usual;
    const text = `${what} ${show(now)} is ${Math.round(ratio * 100)}% of the recent median ${show(usual)}`;
    if (ratio < 0.3) lines.push({ level: 'ERROR', text });
    else if (ratio < 0.7) lines.push({ level: 'WARN', text });
    else lines.push({ level: 'INFO', text });
  };
  check('dump size', current.rawBytes, median(past.map((p) => p.rawBytes)), formatBytes);
  check('row count', current.rows, median(past.map((p) => p.rows)), (n) => `${n}`);
  const usualMs = median(past.map((p) => p.durationMs));
  if (usualMs > 0 && current.durationMs < 0.3 * usualMs)
    lines.push({
      level: 'WARN',
      text: `suspiciously fast: ${formatDuration(current.durationMs)} against a recent median of ${formatDuration(usualMs)}`,
    });
  return lines;
}
