// Time series for graphs: one byte per check-minute for 48 h, then hourly rollups packed per day.
//
// Size at 10,000 checks/min (see docs/benchmarks-monitoring.md for the measured figure):
//   raw:     one row per check-hour, 60 one-byte latency codes  -> 10,000 × 24 × (60 + ~30 row) ≈ 21.6 MB/day,
//            kept 48 h, so it plateaus at ≈ 43 MB;
//   rollups: one row per check-day, 24 × 6 bytes                  -> 10,000 × (144 + ~30 row)     ≈ 1.7 MB/day.
//   Total growth ≈ 23 MB/day, under the 40 MB target; per-row overheads are SQLite WITHOUT ROWID.

/** Slot value for "no sample": unknown results and minutes without a run. */
export const NO_DATA = 0;
/** Slot value for a failed check. */
export const DOWN = 255;
const K = Math.log(60_001) / 252;

/** Latency in ms as one byte: logarithmic, ±2.2 % from 1 ms to 60 s (codes 1..253). */
export function encodeLatency(ms: number): number {
  return Math.min(253, 1 + Math.round(Math.log1p(Math.max(0, ms)) / K));
}

/** The latency a code stands for; null for no data or down. */
export function decodeLatency(code: number): number | null {
  if (code === NO_DATA || code === DOWN) return null;
  return Math.round((Math.expm1((code - 1) * K) + Number.EPSILON) * 100) / 100;
}

const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Bytes per hour in a rollup day: samples, ups, latency min/avg/max codes, spare. */
export const ROLLUP_BYTES = 6;

/** One check-hour of raw data: 60 latency codes, and values (NaN = none) for checks that have one. */
export interface RawBlock {
  checkId: string;
  hour: number;
  latency: Uint8Array;
  values: Float32Array | null;
}

/** One check-day of hourly rollups: 24 × ROLLUP_BYTES, and 24 × (min, avg, max) values if any. */
export interface RollupDay {
  checkId: string;
  day: number;
  data: Uint8Array;
  values: Float32Array | null;
}

/** What the monitoring store implements for time series. Writes are upserts, in one transaction each. */
export interface SeriesStorage {
  writeBlocks(blocks: RawBlock[]): Promise<void>;
  writeRollups(days: RollupDay[]): Promise<void>;
  readBlocks(checkId: string, fromHour: number, toHour: number): Promise<RawBlock[]>;
  readRollups(checkId: string, fromDay: number, toDay: number): Promise<RollupDay[]>;
  /** Delete raw blocks of hours before `hour` (the 48 h retention). */
  pruneBlocks(beforeHour: number): Promise<void>;
}

export interface RawPoint {
  at: number;
  up: boolean;
  latencyMs: number | null;
  value: number | null;
}

export interface HourPoint {
  at: number;
  samples: number;
  uptime: number;
  latency: { min: number | null; avg: number | null; max: number | null };
  value: { min: number; avg: number; max: number } | null;
}

export interface TimeSeries {
  record(
    checkId: string,
    at: number,
    status: 'up' | 'down' | 'unknown',
    latencyMs?: number,
    value?: number,
  ): void;
  /** Write changed blocks and finished hours' rollups; prune raw data older than 48 h. */
  flush(now: number): Promise<void>;
  /** Minute points between `from` and `to` (raw range only), memory merged over storage. */
  raw(checkId: string, from: number, to: number): Promise<RawPoint[]>;
  hourly(checkId: string, from: number, to: number): Promise<HourPoint[]>;
  forget(checkId: string): void;
}

interface Live {
  block: RawBlock;
  dirty: boolean;
}

function rollup(block: RawBlock, day: RollupDay): void {
  const codes = [...block.latency].filter((c) => c !== NO_DATA);
  const lat = codes.filter((c) => c !== DOWN);
  const at = ((block.hour - day.day) / hourMs) * ROLLUP_BYTES;
  const ms = lat.map((c) => decodeLatency(c) ?? 0);
  const avg = ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : null;
  day.data.set(
    [
      codes.length,
      lat.length,
      lat.length ? Math.min(...lat) : 0,
      avg === null ? 0 : encodeLatency(avg),
      lat.length ? Math.max(...lat) : 0,
      0,
    ],
    at,
  );
  const vals = block.values ? [...block.values].filter((v) => !Number.isNaN(v)) : [];
  if (vals.length) {
    day.values ??= new Float32Array(72).fill(Number.NaN);
    const i = ((block.hour - day.day) / hourMs) * 3;
    day.values.set(
      [Math.min(...vals), vals.reduce((a, b) => a + b, 0) / vals.length, Math.max(...vals)],
      i,
    );
  }
}

/** Create the series buffer over a storage. Raw is kept `rawRetentionMs` (48 h). */
export function createTimeSeries(storage: SeriesStorage, rawRetentionMs = 48 * hourMs): TimeSeries {
  const live = new Map<string, Live>();
  const sealed: RawBlock[] = [];
  const days = new Map<string, RollupDay>();

  const dayOf = async (checkId: string, day: number): Promise<RollupDay> => {
    const known = days.get(checkId);
    if (known?.day === day) return known;
    const stored = (await storage.readRollups(checkId, day, day))[0];
    const fresh = stored ?? { checkId, day, data: new Uint8Array(24 * ROLLUP_BYTES), values: null };
    days.set(checkId, fresh);
    return fresh;
  };

  return {
    record(checkId, at, status, latencyMs, value) {
      const hour = Math.floor(at / hourMs) * hourMs;
      let l = live.get(checkId);
      if (!l || l.block.hour !== hour) {
        if (l) sealed.push(l.block);
        l = { block: { checkId, hour, latency: new Uint8Array(60), values: null }, dirty: true };
        live.set(checkId, l);
      }
      const slot = Math.floor((at - hour) / minuteMs);
      const code =
        status === 'down' ? DOWN : status === 'up' ? encodeLatency(latencyMs ?? 0) : NO_DATA;
      const old = l.block.latency[slot] ?? NO_DATA;
      // Several runs in one minute (retries): the worst one is what the minute was like.
      if (old !== DOWN && (code === DOWN || code > old)) l.block.latency[slot] = code;
      if (value !== undefined)
        (l.block.values ??= new Float32Array(60).fill(Number.NaN))[slot] = value;
      l.dirty = true;
    },
    async flush(now) {
      const blocks = [...sealed];
      for (const l of live.values()) if (l.dirty) blocks.push(l.block);
      for (const l of live.values()) l.dirty = false;
      const done = sealed.splice(0);
      if (blocks.length) await storage.writeBlocks(blocks);
      const touched = new Set<RollupDay>();
      for (const b of done) {
        const day = await dayOf(b.checkId, Math.floor(b.hour / dayMs) * dayMs);
        rollup(b, day);
        touched.add(day);
      }
      if (touched.size) await storage.writeRollups([...touched]);
      await storage.pruneBlocks(Math.floor((now - rawRetentionMs) / hourMs) * hourMs);
    },
    async raw(checkId, from, to) {
      const fromHour = Math.floor(from / hourMs) * hourMs;
      const stored = await storage.readBlocks(checkId, fromHour, to);
      const l = live.get(checkId);
      const blocks = new Map(stored.map((b) => [b.hour, b]));
      if (l && l.block.hour >= fromHour) blocks.set(l.block.hour, l.block);
      for (const b of sealed) if (b.checkId === checkId) blocks.set(b.hour, b);
      const out: RawPoint[] = [];
      for (const b of [...blocks.values()].sort((a, c) => a.hour - c.hour)) {
        b.latency.forEach((code, i) => {
          const at = b.hour + i * minuteMs;
          if (code === NO_DATA || at < from || at > to) return;
          const v = b.values?.[i];
          out.push({
            at,
            up: code !== DOWN,
            latencyMs: decodeLatency(code),
            value: v === undefined || Number.isNaN(v) ? null : v,
          });
        });
      }
      return out;
    },
    async hourly(checkId, from, to) {
      const rows = await storage.readRollups(checkId, Math.floor(from / dayMs) * dayMs, to);
      const out: HourPoint[] = [];
      for (const d of rows.sort((a, b) => a.day - b.day)) {
        for (let h = 0; h < 24; h++) {
          const [samples = 0, ups = 0, min = 0, avg = 0, max = 0] = d.data.subarray(
            h * ROLLUP_BYTES,
            (h + 1) * ROLLUP_BYTES,
          );
          const at = d.day + h * hourMs;
          if (samples === 0 || at < from || at > to) continue;
          const v = d.values?.subarray(h * 3, h * 3 + 3);
          out.push({
            at,
            samples,
            uptime: ups / samples,
            latency: { min: decodeLatency(min), avg: decodeLatency(avg), max: decodeLatency(max) },
            value:
              v && !Number.isNaN(v[1]) ? { min: v[0] ?? 0, avg: v[1] ?? 0, max: v[2] ?? 0 } : null,
          });
        }
      }
      return out;
    },
    forget(checkId) {
      live.delete(checkId);
      days.delete(checkId);
    },
  };
}

/** An in-memory SeriesStorage, for tests and for running without a database. */
export function memorySeriesStorage(): SeriesStorage {
  const blocks = new Map<string, RawBlock>();
  const rollups = new Map<string, RollupDay>();
  const copy = <T extends RawBlock | RollupDay>(x: T): T => structuredClone(x);
  return {
    async writeBlocks(list) {
      for (const b of list) blocks.set(`${b.checkId}|${b.hour}`, copy(b));
    },
    async writeRollups(list) {
      for (const d of list) rollups.set(`${d.checkId}|${d.day}`, copy(d));
    },
    async readBlocks(checkId, from, to) {
      return [...blocks.values()]
        .filter((b) => b.checkId === checkId && b.hour >= from && b.hour <= to)
        .map(copy);
    },
    async readRollups(checkId, from, to) {
      return [...rollups.values()]
        .filter((d) => d.checkId === checkId && d.day >= from && d.day <= to)
        .map(copy);
    },
    async pruneBlocks(before) {
      for (const [k, b] of blocks) if (b.hour < before) blocks.delete(k);
    },
  };
}
