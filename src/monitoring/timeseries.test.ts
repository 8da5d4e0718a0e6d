// Time series: one-byte latencies, merged reads, hourly rollups and the 48 h raw retention.
import { describe, expect, it } from 'vitest';
import {
  createTimeSeries,
  decodeLatency,
  encodeLatency,
  memorySeriesStorage,
} from './timeseries.js';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 10, 27, 0, 0, 0);

describe('time series', () => {
  it.each([0.4, 1, 7, 42, 250, 1234, 9_999, 60_000])(
    'keeps %s ms within 2.5 %% in one byte',
    (ms) => {
      const code = encodeLatency(ms);
      expect(code).toBeGreaterThan(0);
      expect(code).toBeLessThan(254);
      expect(Math.abs((decodeLatency(code) ?? 0) - ms)).toBeLessThanOrEqual(
        Math.max(0.5, ms * 0.025),
      );
    },
  );

  it('reads the current hour from memory before anything is flushed', async () => {
    const ts = createTimeSeries(memorySeriesStorage());
    ts.record('a', t0 + 60_000, 'up', 12);
    ts.record('a', t0 + 120_000, 'down');
    const points = await ts.raw('a', t0, t0 + hour);
    expect(points.map((p) => [p.at - t0, p.up])).toEqual([
      [60_000, true],
      [120_000, false],
    ]);
    expect(points[0]?.latencyMs).toBeCloseTo(12, 0);
  });

  it('keeps the worst of several runs in one minute', async () => {
    const ts = createTimeSeries(memorySeriesStorage());
    ts.record('a', t0 + 1_000, 'down');
    ts.record('a', t0 + 30_000, 'up', 5);
    expect((await ts.raw('a', t0, t0 + hour))[0]?.up).toBe(false);
  });

  it('rolls finished hours up into uptime and latency, and keeps values', async () => {
    const storage = memorySeriesStorage();
    const ts = createTimeSeries(storage);
    for (let m = 0; m < 60; m++)
      ts.record('pi', t0 + m * 60_000, m < 45 ? 'up' : 'down', 10, 40 + (m % 10));
    ts.record('pi', t0 + hour + 1000, 'up', 10);
    await ts.flush(t0 + hour + 2000);
    const [h] = await ts.hourly('pi', t0, t0 + 2 * hour);
    expect(h?.samples).toBe(60);
    expect(h?.uptime).toBeCloseTo(0.75, 5);
    expect(h?.latency.avg).toBeCloseTo(10, 0);
    expect(h?.value).toEqual({ min: 40, avg: 44.5, max: 49 });
  });

  it('drops raw data older than 48 hours but keeps the rollups', async () => {
    const ts = createTimeSeries(memorySeriesStorage());
    ts.record('a', t0 + 1000, 'up', 3);
    ts.record('a', t0 + hour + 1000, 'up', 3);
    await ts.flush(t0 + hour + 2000);
    ts.forget('a');
    await ts.flush(t0 + 50 * hour);
    expect(await ts.raw('a', t0, t0 + hour)).toEqual([]);
    expect(await ts.hourly('a', t0, t0 + hour)).toHaveLength(1);
  });
});
