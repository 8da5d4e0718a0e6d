// Stderr classification and plausibility: the lines that make a run WARN or ERROR.
import { describe, expect, it } from 'vitest';
import { judgePlausibility } from './plausibility.js';
import { classifyStderr, summaryLine } from './report.js';
import type { BackupRun } from './types.js';

describe('stderr classification', () => {
  it.each([
    [
      'mariadb-dump: Error 2013: Lost connection to server during query when dumping table `log` at row: 6259042',
      'ERROR',
    ],
    ['mysqldump: Got errno 28 on write', 'ERROR'],
    [
      "mariadb-dump: Couldn't execute 'SHOW FIELDS FROM `v`': View 'a.v' references invalid table(s) (1356)",
      'ERROR',
    ],
    ['pg_restore: error: could not read from input file: end of file', 'ERROR'],
    ["tar: Removing leading `/' from member names", 'INFO'],
    ['something new we have never seen', 'WARN'],
  ])('classifies %s as %s', (line, level) => expect(classifyStderr(line)).toBe(level));
});

const past = (rawBytes: number, durationMs: number): BackupRun =>
  ({
    status: 'good',
    durationMs,
    artifacts: [{ rawBytes, tables: [{ rows: rawBytes / 100 }] }],
  }) as unknown as BackupRun;

describe('plausibility', () => {
  const history = [past(1000, 10_000), past(1100, 11_000), past(900, 9_000)];
  it('is INFO near the median, WARN below 70%, ERROR below 30%, and WARN when suspiciously fast', () => {
    expect(
      judgePlausibility({ rawBytes: 1000, rows: 10, durationMs: 10_000 }, history).map(
        (l) => l.level,
      ),
    ).toEqual(['INFO', 'INFO']);
    expect(
      judgePlausibility({ rawBytes: 600, rows: 6, durationMs: 9_000 }, history).map((l) => l.level),
    ).toEqual(['WARN', 'WARN']);
    expect(
      judgePlausibility({ rawBytes: 200, rows: 2, durationMs: 9_000 }, history).map((l) => l.level),
    ).toEqual(['ERROR', 'ERROR']);
    expect(
      judgePlausibility({ rawBytes: 1000, rows: 10, durationMs: 1_000 }, history).at(-1)?.text,
    ).toMatch(/suspiciously fast/);
    expect(
      judgePlausibility({ rawBytes: 1, rows: 0, durationMs: 1 }, history.slice(0, 2))[0]?.level,
    ).toBe('INFO');
  });
});

describe('daily summary line', () => {
  const now = Date.UTC(2026, 10, 27, 12);
  const run = (status: 'good' | 'failed', hoursAgo: number, level: 'INFO' | 'WARN' = 'INFO') =>
    ({
      status,
      level,
      startedAt: now - hoursAgo * 3600_000,
      durationMs: 9200,
      artifacts: [{ storedBytes: 119 * 1024 * 1024, tables: [{}, {}] }],
    }) as unknown as BackupRun;
  it('says OK, WARN after a failed latest run, and ERROR when stale or missing', () => {
    expect(summaryLine('shop', [run('good', 3)], now)).toBe(
      'OK - shop: last good 2026-11-27 09:00Z, 119.0 MiB, 2 tables, 9.2 s',
    );
    expect(summaryLine('shop', [run('failed', 1), run('good', 3)], now)).toMatch(
      /^WARN - shop: latest run failed/,
    );
    expect(summaryLine('shop', [run('good', 27)], now)).toMatch(
      /^ERROR - shop: verified backup too old/,
    );
    expect(summaryLine('shop', [run('failed', 1)], now)).toBe('ERROR - shop: no verified backup');
  });
});
