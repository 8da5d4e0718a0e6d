// The backups product on the engine: stored targets, schedules, runs and restores as jobs, reports
// by mail, events for monitoring, and tenancy. Entered only through index.ts.
import { rmSync } from 'node:fs';
import type { Actor } from '../core/actor.js';
import { ForbiddenError, NotFoundError } from '../core/errors.js';
import { createNotifier } from './notify.js';
import { createScheduler } from './schedules.js';
import { selfTargetConfig } from './self.js';
import { createModuleEngine, type BackupsDeps } from './setup.js';
import { createBackupsStore } from './store.js';
import type { BackupsTables, Trigger } from './tables.js';
import {
  canSee,
  createTargets,
  targetView,
  type TargetInput,
  type TargetView,
} from './targets-admin.js';
import type { BackupRun, Progress, ReportLine, RestoreRecord } from './types.js';
import { restoreView, runView } from './views.js';
import { createWork, factOf, type RestoreAsk } from './work.js';

export { backupKeyFrom, type BackupsConfig, type BackupsDeps } from './setup.js';

const systemAdmin: Actor = { accountId: null, ip: null, channel: 'system', isAdmin: true };

export function createBackupsModule(deps: BackupsDeps) {
  const { config, clock } = deps;
  const store = createBackupsStore(deps.db.forModule<BackupsTables>());
  const lineListeners = new Map<string, (line: ReportLine) => void>();
  const { engine, scratch } = createModuleEngine(deps, store, lineListeners);
  const targets = createTargets({
    store,
    key: deps.providerKey,
    now: () => clock.now(),
    defaults: {
      schedule: config.defaultSchedule,
      retention: config.defaultRetention,
      restoreTest: config.defaultRestoreTestSchedule,
      reverify: config.defaultReverifySchedule,
    },
    findPi: deps.findPi ?? (async () => null),
    piRoot: deps.piRoot ?? (async () => null),
    selfConfig: () => selfTargetConfig(deps.self),
  });
  const notify = createNotifier({
    mailer: deps.mailer,
    emailOf: deps.emailOf,
    operators: async () =>
      config.operatorEmails.length ? [...config.operatorEmails] : deps.admins(),
    panelUrl: deps.panelUrl,
    emailReports: config.emailReports,
  });
  const work = createWork({
    store,
    targets,
    engine,
    jobs: deps.jobs,
    events: deps.events,
    audit: deps.audit,
    notify,
    clock,
    logger: deps.logger,
  });
  const scheduler = createScheduler({
    store,
    work,
    jobs: deps.jobs,
    clock,
    logger: deps.logger,
    summarySchedule: config.summarySchedule,
    graceMs: config.staleGraceMinutes * 60_000,
  });

  async function dailySummary(): Promise<string> {
    const rows = await store.targets({ enabledOnly: true });
    return engine.dailySummary(
      rows.map((r) => ({ id: r.id, name: r.name, config: JSON.parse(r.config) as never })),
    );
  }
  work.defineJobs(config.jobTimeoutMinutes, async () => notify.dailySummary(await dailySummary()));

  async function runOf(actor: Actor, runId: string) {
    const row = await store.run(runId);
    const target = row && (await store.target(row.target_id));
    if (!row || !target || !canSee(actor, target)) throw new NotFoundError('Backup run');
    return { row, target };
  }
  async function restoreOf(actor: Actor, id: string) {
    const row = await store.restore(id);
    const target = row && (await store.target(row.target_id));
    if (!row || !target || !canSee(actor, target)) throw new NotFoundError('Restore');
    return { row, target };
  }
  const progressOf = async (jobId: string | null) =>
    jobId ? ((await deps.jobs.get(jobId))?.progress ?? null) : null;
  const triggerOf = (actor: Actor): Trigger =>
    actor.channel === 'api' || actor.channel === 'cli' ? actor.channel : 'panel';
  let timer: NodeJS.Timeout | undefined;

  return {
    /** Targets this actor may see: an operator's all, a customer's own. */
    async listTargets(actor: Actor): Promise<TargetView[]> {
      const rows = actor.isAdmin
        ? await store.targets()
        : actor.accountId
          ? await store.targets({ accountId: actor.accountId })
          : [];
      return rows.map(targetView);
    },
    /** One target by id or name; another account's is "not found". */
    getTarget: async (actor: Actor, idOrName: string) =>
      targetView(await targets.visible(actor, idOrName)),
    /** Add a target (operators only); monitoring hears of it through `backup.target_added`. */
    async addTarget(input: TargetInput, actor: Actor): Promise<TargetView> {
      const row = await targets.create(input, actor);
      await deps.audit.record({
        actor,
        ownerAccountId: row.account_id,
        action: 'backup.target_added',
        objectType: 'backup_target',
        objectId: row.id,
        after: targetView(row),
      });
      await deps.events.emit('backup.target_added', { ...factOf(row), schedule: row.schedule });
      return targetView(row);
    },
    /** Pause or resume a target's schedules (operators only). */
    async setEnabled(actor: Actor, idOrName: string, enabled: boolean): Promise<TargetView> {
      if (!actor.isAdmin) throw new ForbiddenError('Only operators pause backup targets');
      const row = await targets.visible(actor, idOrName);
      await store.updateTarget(row.id, { enabled: enabled ? 1 : 0, updated_at: clock.now() });
      await deps.audit.record({
        actor,
        ownerAccountId: row.account_id,
        action: enabled ? 'backup.target_enabled' : 'backup.target_disabled',
        objectType: 'backup_target',
        objectId: row.id,
      });
      await deps.events.emit('backup.target_changed', {
        ...factOf(row),
        schedule: row.schedule,
        enabled,
      });
      return { ...targetView(row), enabled };
    },
    async listRuns(actor: Actor, target: string, limit = 50) {
      const row = await targets.visible(actor, target);
      return (await store.runsOf(row.id, limit)).map(runView);
    },
    /** A run with its report, its target, the job's progress line and its restores. */
    async getRun(actor: Actor, runId: string) {
      const { row, target } = await runOf(actor, runId);
      const restores = (await store.restoresOf(target.id, 100)).filter((r) => r.run_id === row.id);
      return {
        run: runView(row),
        target: targetView(target),
        progress: await progressOf(row.job_id),
        restores: restores.map(restoreView),
      };
    },
    async listRestores(actor: Actor, target: string, limit = 20) {
      const row = await targets.visible(actor, target);
      return (await store.restoresOf(row.id, limit)).map(restoreView);
    },
    async getRestore(actor: Actor, id: string) {
      const { row, target } = await restoreOf(actor, id);
      return {
        restore: restoreView(row),
        target: targetView(target),
        progress: await progressOf(row.job_id),
      };
    },
    /** Queue a backup of the target now. */
    async runNow(actor: Actor, target: string) {
      return work.queueRun(await targets.visible(actor, target), triggerOf(actor), actor.accountId);
    },
    /** Back up now in this process, reporting lines as they are written (the CLI). */
    async runInline(
      actor: Actor,
      target: string,
      onLine?: (line: ReportLine) => void,
    ): Promise<BackupRun> {
      const { runId } = await work.queueRun(
        await targets.visible(actor, target),
        triggerOf(actor),
        actor.accountId,
        { enqueue: false },
      );
      if (onLine) lineListeners.set(runId, onLine);
      try {
        return await work.executeRun(runId);
      } finally {
        lineListeners.delete(runId);
      }
    },
    /** What an overwrite replaces and the phrase to type. */
    async confirmation(actor: Actor, runId: string) {
      const { row, target } = await runOf(actor, runId);
      const run = await store.persistence.getRun(row.id);
      if (!run) throw new NotFoundError('Backup run');
      return engine.confirmation(await targets.forEngine(target), run);
    },
    /** Queue a restore (new, or overwrite after the typed confirmation); audited. */
    async restore(actor: Actor, runId: string, ask: RestoreAsk): Promise<string> {
      const { target } = await runOf(actor, runId);
      return work.queueRestore(target, runId, ask, actor, triggerOf(actor));
    },
    /** Restore in this process (the CLI), with progress. */
    async restoreInline(
      actor: Actor,
      runId: string,
      ask: RestoreAsk,
      onProgress?: (p: Progress) => void,
    ): Promise<RestoreRecord> {
      const { target } = await runOf(actor, runId);
      const id = await work.queueRestore(target, runId, ask, actor, triggerOf(actor), {
        enqueue: false,
      });
      return work.executeRestore(id, onProgress);
    },
    /** Queue a restore test of the target's latest verified backup. */
    async restoreTest(actor: Actor, target: string): Promise<string> {
      const row = await targets.visible(actor, target);
      const good = await engine.latestGood(row.id);
      if (!good) throw new NotFoundError('Verified backup');
      return work.queueRestore(row, good.id, { mode: 'test' }, actor, triggerOf(actor));
    },
    /** Restore-test in this process (the CLI). */
    async restoreTestInline(actor: Actor, target: string): Promise<RestoreRecord> {
      const row = await targets.visible(actor, target);
      const good = await engine.latestGood(row.id);
      if (!good) throw new NotFoundError('Verified backup');
      const id = await work.queueRestore(row, good.id, { mode: 'test' }, actor, triggerOf(actor), {
        enqueue: false,
      });
      return work.executeRestore(id);
    },
    /** Re-verify stored artifacts now (one target, or every target the actor sees). */
    async verify(actor: Actor, target?: string, deep = false) {
      const rows = target
        ? [await targets.visible(actor, target)]
        : await store.targets({ enabledOnly: true });
      const out: { target: string; lines: ReportLine[] }[] = [];
      for (const t of rows.filter((r) => canSee(actor, r)))
        out.push({ target: t.name, lines: await work.reverifyTarget(t.id, deep) });
      return out;
    },
    /** Monitoring: each target's last verified backup against what its schedule allows. */
    freshness: scheduler.freshness,
    /** The operators' daily summary: one line per enabled target. */
    dailySummary,
    /** Queue whatever schedules have made due (every instance may call this). */
    tick: scheduler.tick,
    /** Create the built-in target for Bestiary's own database, once. */
    async ensureSelfTarget(): Promise<TargetView | null> {
      const cfg = config.self.enabled ? selfTargetConfig(deps.self) : null;
      if (!cfg || (await store.builtinTarget('self'))) return null;
      const { password: _unused, ...safe } = cfg as typeof cfg & { password?: string };
      const row = await targets.create(
        {
          name: 'bestiary-database',
          owner: { kind: 'provider' },
          config: safe,
          schedule: config.self.schedule,
          restoreTestSchedule: config.self.restoreTestSchedule,
          restoreTest: { query: 'SELECT count(*) FROM accounts' },
        },
        systemAdmin,
        'self',
      );
      await deps.events.emit('backup.target_added', { ...factOf(row), schedule: row.schedule });
      return targetView(row);
    },
    /** Make the built-in target and check schedules every `tickSeconds`. */
    async start(): Promise<void> {
      await this.ensureSelfTarget();
      if (!config.enabled || timer) return;
      const tick = () =>
        void scheduler
          .tick()
          .catch((err: unknown) => deps.logger.error({ err }, 'backup schedule tick failed'));
      tick();
      timer = setInterval(tick, config.tickSeconds * 1000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
    reportText: (lines: readonly ReportLine[]) =>
      engine.reportText({ report: [...lines] } as BackupRun),
  };
}

export type BackupsModule = ReturnType<typeof createBackupsModule>;
