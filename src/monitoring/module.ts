// The monitoring product: the engine on a real store, checks with owners, delivery, the checks file,
// automatic checks, and what pages and APIs ask for. Entered only through index.ts.
import type { Registry } from 'prom-client';
import type { AuditLog } from '../accounts/index.js';
import type { Config } from '../config.js';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import { createAutomatic } from './automatic.js';
import type { ChecksFile } from './checks-file.js';
import { createChecksFile } from './checks-file.js';
import type { CheckRegistry } from './checks/index.js';
import { checks as builtIn } from './checks/index.js';
import { toInput } from './definitions.js';
import { createDelivery } from './delivery.js';
import { createDestinations } from './destinations.js';
import type { EngineOptions } from './engine.js';
import { parseDuration } from './format.js';
import { createMonitoring } from './monitor.js';
import { createInventory, maySee } from './inventory.js';
import type { SendMail } from './notifiers/email.js';
import type { CommandHandler } from './notifiers/irc-commands.js';
import { createMonitoringStore } from './store.js';
import type { MonitoringTables } from './tables.js';
import { guardedRegistry } from './targets.js';
import type { ChartRange, DashboardQuery } from './views.js';
import { chartOf, dashboard, rowOf, uptimeOf } from './views.js';

export interface MonitoringModuleDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The app's registry: check and scheduler metrics appear on its /metrics. */
  registry: Registry;
  audit: AuditLog;
  sendMail: SendMail;
  /** Every active administrator's address (the IRC fallback when no operator email is set). */
  admins(): Promise<string[]>;
  config: Config['monitoring'];
  /** The API's public base URL, for push and metric URLs. */
  apiUrl: string;
  /** Tests pass their own check types or faster engine timers. */
  checks?: CheckRegistry;
  engineOptions?: EngineOptions;
}

const maxSilenceMs = 30 * 86_400_000;

export function createMonitoringModule(deps: MonitoringModuleDeps) {
  const { config, clock } = deps;
  const log = deps.logger.child({ module: 'monitoring' });
  const store = createMonitoringStore(deps.db.forModule<MonitoringTables>(), {
    rollupDays: config.retention.rollupDays,
  });
  const rawRetentionMs = config.retention.rawHours * 3_600_000;
  const registry = deps.checks ?? builtIn;
  // Late-bound: delivery needs the engine's commands and the engine needs delivery's notify.
  let commands: CommandHandler | null = null;
  const destinations = createDestinations({
    store,
    clock,
    operatorsChannel: config.operators.channel,
    allowPrivateTargets: config.allowPrivateTargets,
    enabled: config.customerDestinations,
    changed: () => delivery.channelsChanged(),
  });
  const delivery = createDelivery({
    config,
    clock,
    logger: deps.logger,
    registry: deps.registry,
    store,
    destinations,
    sendMail: deps.sendMail,
    admins: deps.admins,
    commands: () => commands!,
  });
  /** A customer's own check: its target is tested before every probe. */
  const guarded = (id: string): boolean => {
    if (config.allowPrivateTargets || inventory.meta.get(id)?.source !== 'user') return false;
    return findDef(id)?.accountId !== null;
  };
  const findDef = (ref: string) => {
    try {
      return engine.get(ref);
    } catch {
      return undefined;
    }
  };
  const engine = createMonitoring({
    clock,
    logger: deps.logger,
    registry: deps.registry,
    persistence: store.persistence,
    series: store.series,
    notify: (a) => delivery.notify(a),
    checks: guardedRegistry(registry, guarded),
    options: { perHostLimit: config.perHostLimit, rawRetentionMs, ...deps.engineOptions },
  });
  const inventory = createInventory({
    store,
    engine,
    clock,
    audit: deps.audit,
    registry,
    options: {
      defaults: config.defaults,
      minIntervalSeconds: config.minIntervalSeconds,
      maxChecksPerAccount: config.maxChecksPerAccount,
      allowPrivateTargets: config.allowPrivateTargets,
    },
  });
  const automatic = createAutomatic({ inventory, engine, logger: log, config });
  const checksFile: ChecksFile | null = config.checksFile
    ? createChecksFile({ path: config.checksFile, inventory, clock, logger: deps.logger })
    : null;

  async function remember(
    actor: Actor | null,
    checkId: string,
    kind: 'acknowledge' | 'silence' | 'unsilence',
    by: string,
    reason: string,
    until: number | null,
  ) {
    const def = engine.get(checkId);
    await store.recordAction({
      id: newId(),
      check_id: def.id,
      account_id: def.accountId,
      kind,
      by_name: by,
      reason,
      until,
      at: clock.now(),
    });
    if (actor)
      await deps.audit.record({
        actor,
        ownerAccountId: def.accountId,
        action: `monitoring.check_${kind === 'acknowledge' ? 'acknowledged' : kind === 'silence' ? 'silenced' : 'unsilenced'}`,
        objectType: 'monitoring_check',
        objectId: def.id,
        after: { reason, until },
      });
  }
  // Commands from the operators' channel are remembered like the panel's.
  commands = {
    status: (c) => engine.commands.status(c),
    async ack(c, by, comment) {
      const reply = engine.commands.ack(c, by, comment);
      const def = findDef(c);
      if (def && engine.state(def.id)?.ack?.by === by)
        await remember(null, def.id, 'acknowledge', `${by} (IRC)`, comment, null).catch(
          () => undefined,
        );
      return reply;
    },
    async silence(c, ms, by, reason) {
      const reply = engine.commands.silence(c, ms, by, reason);
      const def = findDef(c);
      if (def && engine.state(def.id)?.silence?.by === by)
        await remember(null, def.id, 'silence', `${by} (IRC)`, reason, clock.now() + ms).catch(
          () => undefined,
        );
      return reply;
    },
  };

  let loading: Promise<void> | null = null;
  /** Stored checks and destinations loaded into memory, once. */
  const ready = (): Promise<void> =>
    (loading ??= (async () => {
      const n = await inventory.load();
      await destinations.load();
      log.info({ checks: n }, 'monitoring checks loaded');
    })());
  let started = false;
  let housekeeping: NodeJS.Timeout | null = null;

  const pushUrl = (token: string | null, type: string) =>
    token === null
      ? null
      : `${deps.apiUrl.replace(/\/$/, '')}/beta/monitoring/${type === 'metric' ? 'metric' : 'beat'}/${token}`;

  const statusCacheMs = 30_000;
  let statusCache: { at: number; value: Promise<PublicService[]> } | null = null;
  async function computeStatus(now: number): Promise<PublicService[]> {
    await ready();
    const shown = engine
      .list()
      .filter((d) => d.accountId === null && inventory.meta.get(d.id)?.public);
    // A few reads at a time, not all at once: Kysely's SQLite connection mutex wakes every waiter
    // on each release, so 10,000 concurrent uptime reads took 53 s (quadratic); four workers keep
    // PostgreSQL's pool busy without that.
    const out: PublicService[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < shown.length; i = next++) {
        const d = shown[i]!;
        out[i] = {
          name: d.name,
          status: engine.state(d.id)?.hard ?? 'unknown',
          since: engine.state(d.id)?.hardSince ?? now,
          uptime: await uptimeOf(engine.series, d.id, now, rawRetentionMs),
        };
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return out;
  }

  return {
    /** The engine itself, for the CLI, commands and tests (poll, runNow, flush, state). */
    engine,
    commands,
    ready,
    get irc() {
      return delivery.irc;
    },
    /** Load, then (with `probe`) run the engine, the IRC bot, the checks file and housekeeping. */
    async start(options: { probe?: boolean } = {}): Promise<void> {
      await ready();
      if (options.probe === false || started) return;
      started = true;
      await engine.start();
      delivery.start();
      await checksFile?.start();
      housekeeping = setInterval(
        () =>
          void store
            .pruneHistory(clock.now() - config.retention.historyDays * 86_400_000)
            .catch((err: unknown) => log.warn({ err }, 'pruning monitoring history failed')),
        6 * 3_600_000,
      );
      housekeeping.unref();
    },
    async stop(): Promise<void> {
      if (housekeeping) clearInterval(housekeeping);
      await checksFile?.stop();
      if (started) await engine.stop();
      await delivery.stop();
      started = false;
    },
    /** One page of the dashboard for this actor. */
    async dashboard(actor: Actor, query: DashboardQuery) {
      await ready();
      return dashboard(engine, inventory.meta, actor, query, clock.now());
    },
    checks: {
      async list(actor: Actor, owner?: string) {
        await ready();
        const now = clock.now();
        return inventory
          .list(actor, owner)
          .map((d) => rowOf(d, engine.state(d.id), inventory.meta.get(d.id), now));
      },
      /** Everything the check page shows. */
      async get(actor: Actor, id: string) {
        await ready();
        const def = inventory.find(actor, id);
        const m = inventory.meta.get(id)!;
        const now = clock.now();
        const parent = def.parentId ? findDef(def.parentId) : undefined;
        return {
          row: rowOf(def, engine.state(id), m, now),
          input: toInput(def, m.public),
          state: engine.state(id) ?? null,
          source: m.source,
          public: m.public,
          parent: parent && maySee(actor, parent) ? { id: parent.id, name: parent.name } : null,
          pushUrl: pushUrl(m.pushToken, def.type),
          uptime: await uptimeOf(engine.series, id, now, rawRetentionMs),
          alerts: await store.alerts(id, 20),
          actions: await store.actions(id, 20),
        };
      },
      create: async (actor: Actor, input: unknown, opts: { provider?: boolean } = {}) => (
        await ready(),
        inventory.create(actor, input, opts)
      ),
      update: async (actor: Actor, id: string, input: unknown) => (
        await ready(),
        inventory.update(actor, id, input)
      ),
      remove: async (actor: Actor, id: string) => (await ready(), inventory.remove(actor, id)),
      async chart(actor: Actor, id: string, range: ChartRange) {
        await ready();
        inventory.find(actor, id);
        return chartOf(engine.series, id, range, clock.now());
      },
      async acknowledge(actor: Actor, id: string, by: string, comment: string) {
        await ready();
        const def = inventory.find(actor, id);
        if (engine.state(id)?.hard !== 'down')
          throw new ValidationError(`${def.name} is not down, so there is nothing to acknowledge`);
        engine.acknowledge(id, by, comment);
        await remember(actor, id, 'acknowledge', by, comment, null);
      },
      /** Silence (a maintenance window) for a duration like `2h`, with a reason; `null` ends it. */
      async silence(actor: Actor, id: string, by: string, duration: string | null, reason: string) {
        await ready();
        inventory.find(actor, id);
        if (duration === null) {
          engine.silence(id, null, '', by);
          return remember(actor, id, 'unsilence', by, reason, null);
        }
        const ms = parseDuration(duration);
        if (ms === null || ms > maxSilenceMs)
          throw new ValidationError('Give a duration such as 30m, 2h or 3d (at most 30d)');
        if (!reason.trim()) throw new ValidationError('Say why the check is silenced');
        const until = clock.now() + ms;
        engine.silence(id, until, reason.trim(), by);
        await remember(actor, id, 'silence', by, reason.trim(), until);
      },
    },
    destinations: {
      list: async (actor: Actor) => (await ready(), destinations.list(actor)),
      add: async (actor: Actor, input: unknown) => (await ready(), destinations.add(actor, input)),
      remove: async (actor: Actor, id: string) => (await ready(), destinations.remove(actor, id)),
      /** The operators' destinations as configured (shown to operators, never to customers). */
      operators: () => ({
        channel: delivery.irc ? config.operators.channel : null,
        emails: [...config.operators.emails],
        webhooks: config.operators.webhooks.map((w) => ({ url: w.url, format: w.format })),
      }),
    },
    /** A heartbeat from a push URL: `success`, `start` or `fail` with a message. */
    async beat(token: string, kind: 'success' | 'start' | 'fail', message = ''): Promise<void> {
      await ready();
      const row = await inventory.byToken(token);
      if (!row || row.type !== 'push') throw new NotFoundError('Push check');
      engine.beat(row.id, kind, message.slice(0, 500));
    },
    async metric(token: string, value: number): Promise<void> {
      await ready();
      const row = await inventory.byToken(token);
      if (!row || row.type !== 'metric') throw new NotFoundError('Metric check');
      if (!Number.isFinite(value)) throw new ValidationError('value must be a number');
      engine.pushMetric(row.id, value);
    },
    /**
     * The public status page: the provider's checks marked public, with uptime. Anyone may ask, and
     * each answer reads every shown check's series, so one answer serves everyone for 30 s.
     */
    publicStatus(): Promise<PublicService[]> {
      const now = clock.now();
      if (statusCache && now - statusCache.at < statusCacheMs) return statusCache.value;
      const value = computeStatus(now);
      const entry = { at: now, value };
      statusCache = entry;
      // Fresh for 30 s from when it was ready: a slow answer is not recomputed back to back.
      value.then(
        () => (entry.at = clock.now()),
        () => (statusCache = null),
      );
      return value;
    },
    checksFile: () => checksFile?.status() ?? null,
    reloadChecksFile: () => checksFile?.reload() ?? Promise.resolve(),
    automatic,
  };
}

export type MonitoringModule = ReturnType<typeof createMonitoringModule>;

/** A line of the public status page: a name and its state, never a target or an owner. */
export interface PublicService {
  name: string;
  status: 'up' | 'down' | 'unknown';
  since: number;
  uptime: Awaited<ReturnType<typeof uptimeOf>>;
}
