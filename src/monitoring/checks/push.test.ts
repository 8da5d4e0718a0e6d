// Heartbeats and pushed metrics: missing, early, too-fast and failed runs; thresholds and staleness.
import { describe, expect, it } from 'vitest';
import type { BeatRecord, MetricSample, ProbeContext } from './check.js';
import { applyBeat, checks, newBeatRecord } from './index.js';
import type { BeatKind } from './push.js';

const min = 60_000;
const period = { periodMs: 60 * min, graceMs: 10 * min, earlyMs: 20 * min, minRunMs: 2 * min };

function judge(beats: ReadonlyArray<readonly [BeatKind, number]>, at: number) {
  let rec: BeatRecord = newBeatRecord(0);
  for (const [kind, t] of beats)
    rec = applyBeat(rec, period, kind, t, kind === 'fail' ? 'exit 2: disk full' : '');
  const ctx: ProbeContext = {
    checkId: 'b',
    now: () => at,
    timeoutMs: 1000,
    intervalMs: min,
    beat: () => rec,
    metric: () => undefined,
  };
  return checks.push.run(period, ctx);
}

describe('push check', () => {
  it.each([
    {
      name: 'waits quietly for a first beat within the period',
      beats: [],
      at: 30 * min,
      status: 'unknown',
      message: 'waiting for the first beat',
    },
    {
      name: 'is down when no beat ever came',
      beats: [],
      at: 71 * min,
      status: 'down',
      message: 'no beat received in 1h11m (expected every 1h)',
    },
    {
      name: 'is up after a beat on time',
      beats: [['success', 60 * min]],
      at: 90 * min,
      status: 'up',
      message: 'last beat 30m ago',
    },
    {
      name: 'is down when the beats stop',
      beats: [['success', 60 * min]],
      at: 131 * min,
      status: 'down',
      message: 'no beat for 1h11m (expected every 1h)',
    },
    {
      name: 'flags a beat that comes too early',
      beats: [
        ['success', 60 * min],
        ['success', 90 * min],
      ],
      at: 91 * min,
      status: 'down',
      message: 'beat 30m early (too early)',
    },
    {
      name: 'flags a run that finished too fast',
      beats: [
        ['start', 60 * min],
        ['success', 60 * min + 5000],
      ],
      at: 61 * min,
      status: 'down',
      message: 'run took 5s, expected at least 2m (too fast)',
    },
    {
      name: 'reports a failed run',
      beats: [
        ['success', 60 * min],
        ['start', 120 * min],
        ['fail', 121 * min],
      ],
      at: 122 * min,
      status: 'down',
      message: 'exit 2: disk full',
    },
    {
      name: 'clears a flag at the next good beat',
      beats: [
        ['success', 60 * min],
        ['success', 90 * min],
        ['success', 150 * min],
      ],
      at: 151 * min,
      status: 'up',
      message: 'last beat 1m ago',
    },
  ] as const)('$name', async ({ beats, at, status, message }) => {
    expect(await judge([...beats], at)).toEqual({ status, message });
  });
});

describe('metric check', () => {
  const run = (sample: MetricSample | undefined, now: number) =>
    checks.metric.run(
      { metric: 'temperature', unit: '°C', above: 80 },
      {
        checkId: 'm',
        now: () => now,
        timeoutMs: 1000,
        intervalMs: min,
        beat: () => undefined,
        metric: () => sample,
      },
    );
  it.each([
    {
      name: 'is up below the threshold',
      sample: { value: 51.2, at: 0 },
      now: min,
      status: 'up',
      message: 'temperature 51.2 °C',
    },
    {
      name: 'is down above the threshold',
      sample: { value: 83.5, at: 0 },
      now: min,
      status: 'down',
      message: 'temperature 83.5 °C above 80',
    },
    {
      name: 'is down when readings stop',
      sample: { value: 50, at: 0 },
      now: 4 * min,
      status: 'down',
      message: 'no temperature reading for 4m',
    },
    {
      name: 'is unknown before any reading',
      sample: undefined,
      now: min,
      status: 'unknown',
      message: 'no temperature reading yet',
    },
  ])('$name', async ({ sample, now, status, message }) => {
    const r = await run(sample, now);
    expect({ status: r.status, message: r.message }).toEqual({ status, message });
  });
});
