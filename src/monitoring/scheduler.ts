// The check scheduler: one timer and a heap for 10,000 checks, phases spread, per-host limits.
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

export interface SchedulerDeps {
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** Run one check; resolve to the delay before its next run, or undefined for its interval. */
  run(id: string): Promise<number | undefined>;
  /** Probes at once against one host, so a customer's server is never hammered. Default 4. */
  perHostLimit?: number;
  /** Probes at once in all. Default 512. */
  globalLimit?: number;
  /** Timer resolution. Default 50 ms. */
  tickMs?: number;
}

export interface SchedulerStats {
  scheduled: number;
  running: number;
  waiting: number;
  started: number;
  missed: number;
  /** Scheduling lag (actual start minus planned start) over the recent starts, in ms. */
  lagP50: number;
  lagP99: number;
}

export interface Scheduler {
  /** Schedule (or reschedule) a check. Its phase comes from its id, so starts spread evenly. */
  add(id: string, opts: { intervalMs: number; host: string }): void;
  remove(id: string): void;
  /** Run a check as soon as its host allows (a parent asked about by a failing child). */
  runNow(id: string): void;
  /** Start whatever is due; the timer calls this, tests may call it with a fake clock. */
  tick(): void;
  start(): void;
  /** Stop starting checks and wait for running ones. */
  stop(): Promise<void>;
  stats(): SchedulerStats;
}

interface Entry {
  id: string;
  intervalMs: number;
  host: string;
  phase: number;
  gen: number;
  due: number;
  state: 'idle' | 'ready' | 'running';
}

/** FNV-1a: a stable, well-spread hash of the id, for the check's phase within its interval. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Create the scheduler. Nothing runs until start() (or tick()). */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const perHost = deps.perHostLimit ?? 4;
  const global = deps.globalLimit ?? 512;
  const entries = new Map<string, Entry>();
  const heap: Array<{ due: number; id: string; gen: number }> = [];
  const ready = new Map<
    string,
    { items: Array<{ id: string; planned: number }>; running: number }
  >();
  const lags = new Float64Array(16_384);
  let lagCount = 0;
  let running = 0;
  let waiting = 0;
  let started = 0;
  let missedCount = 0;
  let timer: NodeJS.Timeout | null = null;
  const inflight = new Set<Promise<void>>();

  const lagHist = new Histogram({
    name: 'bestiary_monitoring_schedule_lag_seconds',
    help: 'Actual start minus planned start of each check',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [deps.registry],
  });
  new Gauge({
    name: 'bestiary_monitoring_queue_length',
    help: 'Checks due but waiting for a concurrency slot',
    registers: [deps.registry],
    collect() {
      this.set(waiting);
    },
  });
  new Gauge({
    name: 'bestiary_monitoring_running',
    help: 'Checks running now',
    registers: [deps.registry],
    collect() {
      this.set(running);
    },
  });
  const missed = new Counter({
    name: 'bestiary_monitoring_missed_runs_total',
    help: 'Runs skipped because the previous run of the same check overran its slot',
    registers: [deps.registry],
  });

  const push = (item: { due: number; id: string; gen: number }): void => {
    heap.push(item);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (heap[p]!.due <= heap[i]!.due) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const pop = (): { due: number; id: string; gen: number } | undefined => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.due < heap[m]!.due) m = l;
        if (r < heap.length && heap[r]!.due < heap[m]!.due) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };

  /** The first slot of this check's phase after `after`: phase + k * interval. */
  const nextSlot = (e: Entry, after: number): number =>
    after + ((((e.phase - after) % e.intervalMs) + e.intervalMs) % e.intervalMs || e.intervalMs);

  const plan = (e: Entry, due: number): void => {
    e.due = due;
    e.state = 'idle';
    push({ due, id: e.id, gen: e.gen });
  };

  const enqueue = (e: Entry, planned: number): void => {
    e.state = 'ready';
    let q = ready.get(e.host);
    if (!q) ready.set(e.host, (q = { items: [], running: 0 }));
    q.items.push({ id: e.id, planned });
    waiting++;
  };

  const begin = (e: Entry, planned: number, q: { running: number }): void => {
    const now = deps.clock.now();
    const lag = Math.max(0, now - planned);
    lags[lagCount++ % lags.length] = lag;
    lagHist.observe(lag / 1000);
    e.state = 'running';
    running++;
    q.running++;
    started++;
    const gen = e.gen;
    const p = deps
      .run(e.id)
      .catch((err: unknown) => {
        deps.logger.error({ err, check: e.id }, 'check run failed');
        return undefined;
      })
      .then((delay) => {
        running--;
        q.running--;
        inflight.delete(p);
        if (entries.get(e.id) !== e || e.gen !== gen) return;
        const end = deps.clock.now();
        if (delay !== undefined) return plan(e, end + delay);
        const next = nextSlot(e, end);
        const skipped = Math.floor((next - planned) / e.intervalMs) - 1;
        if (skipped > 0) {
          missedCount += skipped;
          missed.inc(skipped);
        }
        plan(e, next);
      })
      .finally(drain);
    inflight.add(p);
  };

  function drain(): void {
    for (const [host, q] of ready) {
      // An empty host key (passive checks) has no per-host limit.
      while (q.items.length > 0 && running < global && (host === '' || q.running < perHost)) {
        const item = q.items.shift()!;
        waiting--;
        const e = entries.get(item.id);
        if (e && e.state === 'ready') begin(e, item.planned, q);
      }
      if (q.items.length === 0 && q.running === 0) ready.delete(host);
      if (running >= global) break;
    }
  }

  function tick(): void {
    const now = deps.clock.now();
    while (heap.length > 0 && heap[0]!.due <= now) {
      const item = pop()!;
      const e = entries.get(item.id);
      if (e && e.gen === item.gen && e.state === 'idle') enqueue(e, item.due);
    }
    drain();
  }

  const percentile = (q: number): number => {
    const n = Math.min(lagCount, lags.length);
    if (n === 0) return 0;
    const sorted = Array.from(lags.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0;
  };

  return {
    add(id, opts) {
      const old = entries.get(id);
      const e: Entry = {
        id,
        intervalMs: opts.intervalMs,
        host: opts.host,
        phase: hash(id) % opts.intervalMs,
        gen: (old?.gen ?? 0) + 1,
        due: 0,
        state: 'idle',
      };
      entries.set(id, e);
      plan(e, nextSlot(e, deps.clock.now()));
    },
    remove(id) {
      entries.delete(id);
    },
    runNow(id) {
      const e = entries.get(id);
      if (!e || e.state !== 'idle') return;
      e.gen++;
      enqueue(e, deps.clock.now());
      drain();
    },
    tick,
    start() {
      timer ??= setInterval(tick, deps.tickMs ?? 50);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all([...inflight]);
    },
    stats: () => ({
      scheduled: entries.size,
      running,
      waiting,
      started,
      missed: missedCount,
      lagP50: percentile(0.5),
      lagP99: percentile(0.99),
    }),
  };
}
