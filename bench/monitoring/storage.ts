// Time-series storage on SQLite: bytes per day for 10,000 checks at one result a minute, measured.
// Usage: node --import tsx bench/monitoring/storage.ts [checks=10000] [hours=72]
import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawBlock, RollupDay, SeriesStorage } from '../../src/monitoring/index.js';
import { createTimeSeries } from '../../src/monitoring/timeseries.js';

const checks = Number(process.argv[2] ?? 10_000);
const hours = Number(process.argv[3] ?? 72);
const file = join(mkdtempSync(join(tmpdir(), 'series-')), 'series.db');
const db = new Database(file);
db.pragma('journal_mode = WAL');
// Integer series ids: a 26-character text id in every row would cost more than the data.
db.exec(`CREATE TABLE raw (series INTEGER, hour INTEGER, latency BLOB, vals BLOB, PRIMARY KEY (series, hour)) WITHOUT ROWID;
         CREATE TABLE rollup (series INTEGER, day INTEGER, data BLOB, vals BLOB, PRIMARY KEY (series, day)) WITHOUT ROWID;`);
const sid = (id: string) => Number(id.slice(1));
const putRaw = db.prepare('INSERT OR REPLACE INTO raw VALUES (?, ?, ?, ?)');
const putRollup = db.prepare('INSERT OR REPLACE INTO rollup VALUES (?, ?, ?, ?)');
const blob = (a: Uint8Array | Float32Array | null) =>
  a ? Buffer.from(a.buffer, a.byteOffset, a.byteLength) : null;
const storage: SeriesStorage = {
  writeBlocks: async (bs: RawBlock[]) =>
    void db.transaction(() =>
      bs.forEach((b) =>
        putRaw.run(sid(b.checkId), b.hour / 3.6e6, blob(b.latency), blob(b.values)),
      ),
    )(),
  writeRollups: async (ds: RollupDay[]) =>
    void db.transaction(() =>
      ds.forEach((d) =>
        putRollup.run(sid(d.checkId), d.day / 8.64e7, blob(d.data), blob(d.values)),
      ),
    )(),
  readBlocks: async () => [],
  readRollups: async () => [],
  pruneBlocks: async (before) =>
    void db.prepare('DELETE FROM raw WHERE hour < ?').run(before / 3.6e6),
};

const bytes = () => {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(file).size;
};
const series = createTimeSeries(storage);
const start = Date.UTC(2026, 10, 27);
const sizes: number[] = [];
for (let h = 0; h < hours; h++) {
  for (let m = 0; m < 60; m++) {
    const at = start + h * 3.6e6 + m * 6e4;
    for (let c = 0; c < checks; c++) {
      const down = (c * 7 + m + h) % 100 === 0;
      series.record(
        `c${c}`,
        at,
        down ? 'down' : 'up',
        2 + ((c * 13 + m) % 40),
        c % 50 === 0 ? 40 + (m % 10) : undefined,
      );
    }
  }
  // The engine flushes every 5 minutes; once an hour here gives the same rows.
  await series.flush(start + (h + 1) * 3.6e6);
  if ((h + 1) % 24 === 0) sizes.push(bytes());
}
const perDay = sizes.map((s, i) => s - (sizes[i - 1] ?? 0));
console.log(
  JSON.stringify({
    checks,
    hours,
    dbBytesAtEachDay: sizes,
    growthPerDayMB: perDay.map((b) => +(b / 1e6).toFixed(1)),
  }),
);
