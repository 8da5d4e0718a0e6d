// Per-run reports (INFO/WARN/ERROR lines), stderr classification and the daily summary line.
import type { Clock } from '../core/clock.js';
import type { BackupRun, Level, ReportLine } from './types.js';

const rank: Record<Level, number> = { INFO: 0, WARN: 1, ERROR: 2 };

export interface Report {
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  add(level: Level, text: string): void;
  lines(): ReportLine[];
  worst(): Level;
}

/** A report that stamps each line with the clock; `sink` sees lines as they are written. */
export function createReport(clock: Clock, sink?: (line: ReportLine) => void): Report {
  const lines: ReportLine[] = [];
  const add = (level: Level, text: string) => {
    const line = { level, text, at: clock.now() };
    lines.push(line);
    sink?.(line);
  };
  return {
    add,
    info: (t) => add('INFO', t),
    warn: (t) => add('WARN', t),
    error: (t) => add('ERROR', t),
    lines: () => [...lines],
    worst: () => worstLevel(lines.map((l) => l.level)),
  };
}

export function worstLevel(levels: Iterable<Level>): Level {
  let worst: Level = 'INFO';
  for (const l of levels) if (rank[l] > rank[worst]) worst = l;
  return worst;
}

/** `LEVEL - text`, the reference report's line form. */
export const formatLine = (line: ReportLine): string => `${line.level} - ${line.text}`;

export const formatReport = (lines: readonly ReportLine[]): string =>
  lines.map(formatLine).join('\n');

// Patterns measured on MariaDB 10.11 and PostgreSQL 15 clients. Anything a dump tool says on
// stderr that we do not recognise is a WARN: silence is the only clean state.
const errorPatterns: RegExp[] = [
  /\bError:? \d{4}\b/i, // Error 2013, Got error: 1356
  /\bGot error\b/i,
  /\berrno:? ?\d+/i, // errno 28 (ENOSPC)
  /\berror:/i, // pg_dump: error: …
  /\bFATAL\b/,
  /\bLost connection\b/i,
  /\bNo space left\b/i,
  /\bcould not\b/i,
  /\bCouldn't\b/i,
  /\bCannot\b/i,
  /\bAborted\b/i,
  /\bKilled\b/,
  /Unexpected EOF/i,
];
const infoPatterns: RegExp[] = [
  /^tar: Removing leading `\/' from member names$/,
  /^Warning: Using a password on the command line/i,
  /^-- Warning: Skipping the data of table mysql\.event/i,
];

/** Classify one stderr line of a child process. */
export function classifyStderr(line: string): Level {
  if (infoPatterns.some((p) => p.test(line))) return 'INFO';
  if (errorPatterns.some((p) => p.test(line))) return 'ERROR';
  return 'WARN';
}

/** Human size, binary units, one decimal. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

/**
 * One line per target for the operators' daily summary:
 * `OK - shop-db: last good 2026-11-27 03:00Z, 119.0 MiB, 12 tables, 9.2 s`.
 */
export function summaryLine(
  targetName: string,
  runs: readonly BackupRun[],
  now: number,
  maxAgeMs = 26 * 3600_000,
): string {
  const lastGood = runs.find((r) => r.status === 'good');
  const latest = runs[0];
  const failedSince = latest && latest.status === 'failed' && latest !== lastGood;
  if (!lastGood) return `ERROR - ${targetName}: no verified backup`;
  const stamp = new Date(lastGood.startedAt).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
  const bytes = lastGood.artifacts.reduce((s, a) => s + a.storedBytes, 0);
  const tables = lastGood.artifacts.reduce((s, a) => s + a.tables.length, 0);
  const detail = `last good ${stamp}, ${formatBytes(bytes)}, ${tables} tables, ${formatDuration(lastGood.durationMs ?? 0)}`;
  if (now - lastGood.startedAt > maxAgeMs)
    return `ERROR - ${targetName}: verified backup too old (${detail})`;
  if (failedSince) return `WARN - ${targetName}: latest run failed; ${detail}`;
  if (lastGood.level === 'WARN') return `WARN - ${targetName}: ${detail} (with warnings)`;
  return `OK - ${targetName}: ${detail}`;
}
