// The monitoring engine: scheduler -> check -> state -> alerts -> notifiers, with batched persistence.
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { AlertingOptions, AlertWorld, Outcome } from './alerts.js';
import { acknowledge, applyResult, defaultAlerting, setSilence, tick } from './alerts.js';
import { createBatchWriter } from './batch.js';
import type {
  BeatKind,
  BeatRecord,
  Check,
  CheckRegistry,
  MetricSample,
  ProbeContext,
} from './checks/index.js';
import { applyBeat, checks as builtIn, newBeatRecord } from './checks/index.js';
import { createScheduler } from './scheduler.js';
import type { SchedulerStats } from './scheduler.js';
import type { CheckState } from './state.js';
import type { EngineSnapshot, Live, MonitoringPersistence } from './persistence.js';
import { createChangeLog, restoreInto, snapshotOf } from './persistence.js';
import { initialState } from './state.js';
import { statusLines } from './status.js';
import type { SeriesStorage } from './timeseries.js';
import { createTimeSeries, memorySeriesStorage } from './timeseries.js';
import type { Alert, CheckDefinition, CheckResult, ProbeResult } from './types.js';

export interface EngineOptions {
  perHostLimit?: number;
  globalLimit?: number;
  tickMs?: number;
  flushEveryMs?: number;
  alerting?: Partial<AlertingOptions>;
  /** Export up/latency gauges per check (10,000 series at 10,000 checks). Default true. */
  perCheckMetrics?: boolean;
  /** How long minute-by-minute series are kept before only rollups remain. Default 48 h. */
  rawRetentionMs?: number;
}

export interface EngineDeps {
  clock: Clock;
  logger: Logger;
  registry: Registry;
  persistence: MonitoringPersistence;
  /** Delivery (the router). Resolves once delivered; until then the alert stays in the outbox. */
  notify(alert: Alert): Promise<void>;
  series?: SeriesStorage;
  checks?: CheckRegistry;
  options?: EngineOptions;
}

export type Engine = ReturnType<typeof createEngine>;

export function createEngine(deps: EngineDeps) {
  const opts = deps.options ?? {};
  const alerting = { ...defaultAlerting, ...opts.alerting };
  const registry = deps.checks ?? builtIn;
  const log = deps.logger.child({ module: 'monitoring' });
  const world: AlertWorld = {
    states: new Map(),
    defs: new Map(),
    children: new Map(),
    groups: new Map(),
    seq: 0,
  };
  const beats = new Map<string, BeatRecord>();
  const metrics = new Map<string, MetricSample>();
  const outbox = new Map<string, Alert>();
  const names = new Map<string, string>();
  const live: Live = { world, beats, metrics, outbox };
  const changes = createChangeLog(live);
  const series = createTimeSeries(deps.series ?? memorySeriesStorage(), opts.rawRetentionMs);
  let running = false;
  let timers: NodeJS.Timeout[] = [];

  const perCheck = opts.perCheckMetrics ?? true;
  const upGauge = new Gauge({
    name: 'bestiary_monitoring_check_up',
    help: '1 up, 0 down, -1 unknown',
    labelNames: ['check'],
    registers: [deps.registry],
  });
  const latencyGauge = new Gauge({
    name: 'bestiary_monitoring_check_latency_seconds',
    help: 'Latency of the last probe',
    labelNames: ['check'],
    registers: [deps.registry],
  });
  // Labels for dashboards: join on `check` to show a check's name instead of its id.
  const infoGauge = new Gauge({
    name: 'bestiary_monitoring_check_info',
    help: 'Always 1: a check and its ref, name and type',
    labelNames: ['check', 'ref', 'name', 'type'],
    registers: [deps.registry],
  });
  const infoOf = (d: CheckDefinition) => ({ check: d.id, ref: d.ref, name: d.name, type: d.type });
  new Gauge({
    name: 'bestiary_monitoring_outbox_length',
    help: 'Alerts decided but not yet delivered',
    registers: [deps.registry],
    collect() {
      this.set(outbox.size);
    },
  });

  const scheduler = createScheduler({
    clock: deps.clock,
    logger: log,
    registry: deps.registry,
    run: runCheck,
    perHostLimit: opts.perHostLimit,
    globalLimit: opts.globalLimit,
    tickMs: opts.tickMs,
  });
  const writer = createBatchWriter<CheckResult>({
    logger: log,
    flushEveryMs: opts.flushEveryMs,
    hasMore: () => changes.pending(),
    async write(results) {
      const { batch, restore } = changes.take(results);
      try {
        await deps.persistence.saveResults(batch);
      } catch (err) {
        restore();
        throw err;
      }
    },
  });

  function deliver(alert: Alert): void {
    outbox.set(alert.id, alert);
    changes.markOutbox();
    deps.notify(alert).then(
      () => {
        outbox.delete(alert.id);
        changes.markOutbox();
      },
      (err: unknown) =>
        log.error({ err, alert: alert.id }, 'alert not delivered; kept in the outbox'),
    );
  }

  function emit(out: Outcome): void {
    for (const id of out.touched) changes.mark('states', id);
    for (const a of out.alerts) deliver(a);
    for (const id of out.checkNow) scheduler.runNow(id);
  }

  const ctxFor = (def: CheckDefinition): ProbeContext => ({
    checkId: def.id,
    now: () => deps.clock.now(),
    timeoutMs: def.timeoutMs,
    intervalMs: def.intervalMs,
    beat: (id) => beats.get(id),
    metric: (id) => metrics.get(id),
  });

  /**
   * A result is dated when its probe started: whether it can say anything about a parent's
   * recovery depends on whether it looked before or after that.
   */
  function record(def: CheckDefinition, r: ProbeResult, at: number): void {
    const result: CheckResult = { ...r, checkId: def.id, at };
    series.record(def.id, at, r.status, r.latencyMs, r.value);
    writer.add(result);
    if (perCheck) {
      upGauge.set({ check: def.id }, r.status === 'up' ? 1 : r.status === 'down' ? 0 : -1);
      if (r.latencyMs !== undefined) latencyGauge.set({ check: def.id }, r.latencyMs / 1000);
    }
    changes.mark('states', def.id);
    emit(applyResult(world, def.id, result, alerting));
  }

  async function runCheck(id: string): Promise<number | undefined> {
    const def = world.defs.get(id);
    if (!def || def.enabled === false) return undefined;
    const check = registry[def.type] as Check;
    const started = deps.clock.now();
    let r: ProbeResult;
    try {
      r = await check.run(def.params, ctxFor(def));
    } catch (err) {
      r = {
        status: 'unknown',
        message: `check failed: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (world.defs.get(id) !== def) return undefined;
    record(def, r, started);
    return (world.states.get(id)?.streak ?? 0) > 0 ? def.retryIntervalMs : undefined;
  }

  function find(ref: string): CheckDefinition {
    const def = world.defs.get(ref) ?? world.defs.get(names.get(ref.toLowerCase()) ?? '');
    if (!def) throw new NotFoundError(`check ${ref}`);
    return def;
  }

  function schedule(def: CheckDefinition): void {
    if (def.enabled === false) return scheduler.remove(def.id);
    scheduler.add(def.id, {
      intervalMs: def.intervalMs,
      host: (registry[def.type] as Check).hostOf(def.params),
    });
  }

  const engine = {
    /** Load saved state, schedule every check, start timers and resend undelivered alerts. */
    async start(): Promise<void> {
      const snap = await deps.persistence.loadState();
      if (snap) restoreInto(live, snap).forEach(deliver);
      running = true;
      for (const def of world.defs.values()) {
        if (!world.states.has(def.id)) world.states.set(def.id, initialState(deps.clock.now()));
        schedule(def);
      }
      scheduler.start();
      writer.start();
      timers = [
        setInterval(() => engine.tick(), 1_000),
        setInterval(
          () =>
            void series
              .flush(deps.clock.now())
              .catch((err: unknown) => log.error({ err }, 'series flush failed')),
          300_000,
        ),
      ];
      timers.forEach((t) => t.unref());
    },
    /** Stop probing and write what is left. */
    async stop(): Promise<void> {
      running = false;
      timers.forEach((t) => clearInterval(t));
      await scheduler.stop();
      await writer.stop();
      await series.flush(deps.clock.now());
    },
    /** Add or change a check; a new check starts unknown, a changed one keeps its state. */
    upsert(def: CheckDefinition): void {
      if (def.parentId === def.id) throw new ValidationError('A check cannot be its own parent');
      const old = world.defs.get(def.id);
      if (old?.parentId) world.children.get(old.parentId)?.delete(def.id);
      if (old) for (const k of [old.ref, old.name]) names.delete(k.toLowerCase());
      world.defs.set(def.id, def);
      for (const k of [def.ref, def.name]) names.set(k.toLowerCase(), def.id);
      if (perCheck) {
        if (old) infoGauge.remove(infoOf(old));
        infoGauge.set(infoOf(def), 1);
        // Every check is on /metrics from the start, unknown until its first result.
        if (!old) upGauge.set({ check: def.id }, -1);
      }
      if (def.parentId)
        world.children.set(
          def.parentId,
          (world.children.get(def.parentId) ?? new Set()).add(def.id),
        );
      if (def.type === 'push' && !beats.has(def.id))
        beats.set(def.id, newBeatRecord(deps.clock.now()));
      if (running) {
        if (!world.states.has(def.id)) world.states.set(def.id, initialState(deps.clock.now()));
        schedule(def);
      }
    },
    remove(id: string): void {
      const def = world.defs.get(id);
      if (!def) return;
      if (def.parentId) world.children.get(def.parentId)?.delete(id);
      for (const k of [def.ref, def.name]) names.delete(k.toLowerCase());
      for (const m of [world.defs, world.states, beats, metrics]) m.delete(id);
      scheduler.remove(id);
      series.forget(id);
      upGauge.remove({ check: id });
      latencyGauge.remove({ check: id });
      infoGauge.remove(infoOf(def));
      changes.mark('removed', id);
    },
    get: (ref: string): CheckDefinition => find(ref),
    list: (): CheckDefinition[] => [...world.defs.values()],
    state: (id: string): CheckState | undefined => world.states.get(id),
    /** Record a heartbeat of a push check and judge it at once. */
    beat(id: string, kind: BeatKind = 'success', message = ''): void {
      const def = find(id);
      if (def.type !== 'push') throw new ValidationError(`${def.ref} is not a push check`);
      const now = deps.clock.now();
      beats.set(
        def.id,
        applyBeat(beats.get(def.id) ?? newBeatRecord(now), def.params, kind, now, message),
      );
      changes.mark('beats', def.id);
      scheduler.runNow(def.id);
    },
    /** Record a pushed value (a Pi's temperature) for a metric check and judge it at once. */
    pushMetric(id: string, value: number): void {
      const def = find(id);
      if (def.type !== 'metric') throw new ValidationError(`${def.ref} is not a metric check`);
      metrics.set(def.id, { value, at: deps.clock.now() });
      changes.mark('metrics', def.id);
      scheduler.runNow(def.id);
    },
    acknowledge(ref: string, by: string, comment = ''): string {
      const def = find(ref);
      changes.mark('states', def.id);
      return acknowledge(world, def.id, by, comment, deps.clock.now());
    },
    /** Silence a check until `until` (ms since the epoch); null ends a silence now. */
    silence(ref: string, until: number | null, reason: string, by: string): void {
      const def = find(ref);
      changes.mark('states', def.id);
      emit(
        setSilence(
          world,
          def.id,
          until === null ? null : { until, reason, by },
          deps.clock.now(),
          alerting,
        ),
      );
    },
    /** Time-driven alerting: expired silences and holds, reminders, storm re-counts. */
    tick(): void {
      const out = tick(world, deps.clock.now(), alerting);
      emit(out);
    },
    runNow: (id: string): void => scheduler.runNow(id),
    /** Start due checks now; the timer does this every tickMs, tests on a fake clock call it. */
    poll: (): void => scheduler.tick(),
    status: (ref: string | null): string[] =>
      statusLines(world, ref === null ? null : find(ref).id, deps.clock.now()),
    flush: (): Promise<void> => writer.flush(),
    snapshot: (): EngineSnapshot => snapshotOf(live),
    series: series,
    schedulerStats: (): SchedulerStats => scheduler.stats(),
  };
  return engine;
}
