// The scheduler on a fake clock: spread starts, per-host limits, retries, on-demand runs, metrics.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createScheduler } from './scheduler.js';

const flush = () => new Promise((r) => setImmediate(r));

function setup(
  opts: { perHostLimit?: number; delay?: (id: string) => number | undefined; hold?: boolean } = {},
) {
  const clock = createFakeClock(0);
  const registry = new Registry();
  const starts: Array<{ id: string; at: number }> = [];
  const release: Array<() => void> = [];
  const sched = createScheduler({
    clock,
    logger: silentLogger,
    registry,
    perHostLimit: opts.perHostLimit,
    run: async (id) => {
      starts.push({ id, at: clock.now() });
      if (opts.hold) await new Promise<void>((r) => release.push(r));
      return opts.delay?.(id);
    },
  });
  const advance = async (ms: number, step = 100) => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      sched.tick();
      await flush();
    }
  };
  return { clock, registry, sched, starts, release, advance };
}

describe('scheduler', () => {
  it('spreads 1,000 checks across the interval instead of starting them together', async () => {
    const { sched, starts, advance } = setup({ perHostLimit: 1000 });
    for (let i = 0; i < 1000; i++)
      sched.add(`check-${i}`, { intervalMs: 60_000, host: `h${i % 50}` });
    await advance(60_000, 1000);
    expect(starts).toHaveLength(1000);
    const perSecond = new Map<number, number>();
    for (const s of starts)
      perSecond.set(Math.floor(s.at / 1000), (perSecond.get(Math.floor(s.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThan(40);
  });

  it('runs each check once per interval, on the same phase', async () => {
    const { sched, starts, advance } = setup();
    sched.add('a', { intervalMs: 10_000, host: 'h' });
    await advance(35_000);
    const gaps = starts.slice(1).map((s, i) => s.at - (starts[i]?.at ?? 0));
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(gaps)).toEqual(new Set([10_000]));
  });

  it('never runs more than the per-host limit against one host at once', async () => {
    const { sched, starts, release, advance } = setup({ perHostLimit: 4, hold: true });
    for (let i = 0; i < 10; i++) sched.add(`c${i}`, { intervalMs: 1000, host: 'same-host' });
    sched.add('other', { intervalMs: 1000, host: 'other-host' });
    await advance(1000);
    expect(starts.filter((s) => s.id !== 'other')).toHaveLength(4);
    expect(starts.some((s) => s.id === 'other')).toBe(true);
    expect(sched.stats().waiting).toBe(6);
    release.splice(0).forEach((r) => r());
    await advance(100);
    expect(starts.filter((s) => s.id !== 'other')).toHaveLength(8);
  });

  it('uses the delay a run asks for, as retries do', async () => {
    const { sched, starts, advance } = setup({ delay: () => 5_000 });
    sched.add('a', { intervalMs: 60_000, host: 'h' });
    await advance(80_000);
    const gaps = starts.slice(1).map((s, i) => s.at - (starts[i]?.at ?? 0));
    expect(gaps.length).toBeGreaterThan(2);
    expect(gaps.every((g) => g >= 5_000 && g <= 5_100)).toBe(true);
  });

  it('runs a check now when asked, and forgets removed checks', async () => {
    const { sched, starts, advance } = setup();
    sched.add('parent', { intervalMs: 60_000, host: 'h' });
    sched.add('gone', { intervalMs: 60_000, host: 'h' });
    sched.remove('gone');
    sched.runNow('parent');
    await advance(100);
    expect(starts.map((s) => s.id)).toEqual(['parent']);
    await advance(120_000, 1000);
    expect(starts.filter((s) => s.id === 'gone')).toEqual([]);
  });

  it('exports lag and queue length to the registry it is given', async () => {
    const { sched, registry, advance } = setup();
    sched.add('a', { intervalMs: 1000, host: 'h' });
    await advance(2000);
    const text = await registry.metrics();
    expect(text).toContain('bestiary_monitoring_schedule_lag_seconds_count');
    expect(text).toContain('bestiary_monitoring_queue_length 0');
  });
});
