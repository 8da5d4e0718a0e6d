// Backups, restores and re-verifies as durable jobs carrying ids: queue a row, enqueue its job,
// and run it idempotently (a finished row is left alone). Audit, events and mail happen here.
import { createHash } from 'node:crypto';
import type { AuditLog } from '../accounts/index.js';
import type { Actor } from '../core/actor.js';
import type { Clock } from '../core/clock.js';
import { ValidationError } from '../core/errors.js';
import type { BackupTargetFact, EventBus } from '../core/events.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Jobs } from '../jobs/index.js';
import { PermanentJobError } from '../jobs/index.js';
import type { BackupEngine } from './backup-engine.js';
import type { Notifier } from './notify.js';
import { formatBytes } from './report.js';
import type { BackupsStore, TargetRow } from './store.js';
import { runFromRow } from './store.js';
import type { Trigger } from './tables.js';
import type { Targets } from './targets-admin.js';
import type { BackupRun, Progress, ReportLine, RestoreRecord } from './types.js';

declare module '../jobs/index.js' {
  interface JobPayloads {
    'backups.run': { runId: string };
    'backups.restore': { restoreId: string };
    'backups.reverify': { targetId: string; deep: boolean };
    'backups.summary': { slot: number };
  }
}

export interface WorkDeps {
  store: BackupsStore;
  targets: Targets;
  engine: BackupEngine;
  jobs: Jobs;
  events: EventBus;
  audit: AuditLog;
  notify: Notifier;
  clock: Clock;
  logger: Logger;
}

/** What a restore asks for; `confirm` must equal the phrase for an overwrite. */
export interface RestoreAsk {
  mode: 'new' | 'overwrite';
  /** New database name (prefix when the run holds several), SQLite file or directory. */
  into?: string;
  confirm?: string;
}

/** A stable id for a scheduled slot, so every instance queues the same row and job. */
export const slotId = (what: string, targetId: string, slot: number): string =>
  createHash('sha256').update(`${what}:${targetId}:${slot}`).digest('hex').slice(0, 26);

export const factOf = (t: TargetRow): BackupTargetFact => ({
  targetId: t.id,
  name: t.name,
  ownerKind: t.owner_kind,
  ownerId: t.owner_id,
  accountId: t.account_id,
});

/** A progress reporter that writes at most every two seconds (each write renews the job lease). */
function throttled(write: ((text: string) => Promise<void>) | undefined) {
  let last = 0;
  return (p: Progress) => {
    const now = Date.now();
    if (!write || now - last < 2000) return;
    last = now;
    const of = p.total ? ` of ${formatBytes(p.total)}` : '';
    const text = `${p.phase}: ${formatBytes(p.bytes)}${of}${p.table ? ` (${p.table})` : ''}`;
    void write(text).catch(() => undefined);
  };
}

const safeName = /^[A-Za-z0-9_]{1,60}$/;

export function createWork(deps: WorkDeps) {
  const { store, engine, jobs, clock } = deps;
  const log = deps.logger.child({ module: 'backups' });
  const mailSafely = (p: Promise<void>) =>
    p.catch((err: unknown) => log.error({ err }, 'backup mail failed'));

  async function queueRun(
    t: TargetRow,
    trigger: Trigger,
    requestedBy: string | null,
    options: { id?: string; uniqueKey?: string; enqueue?: boolean } = {},
  ): Promise<{ runId: string; jobId: string | null }> {
    const runId = options.id ?? newId();
    const at = clock.now();
    await store.insertQueuedRun({
      id: runId,
      targetId: t.id,
      kind: t.kind,
      trigger,
      requestedBy,
      at,
    });
    if (options.enqueue === false) return { runId, jobId: null };
    const jobId = await jobs.enqueue(
      'backups.run',
      { runId },
      { uniqueKey: options.uniqueKey ?? `backups.run:${runId}` },
    );
    await store.setRunJob(runId, jobId);
    return { runId, jobId };
  }

  async function executeRun(
    runId: string,
    progress?: (text: string) => Promise<void>,
  ): Promise<BackupRun> {
    const row = await store.run(runId);
    if (!row) throw new PermanentJobError(`backup run ${runId} does not exist`);
    if (row.status === 'good' || row.status === 'failed') return runFromRow(row);
    const target = await store.target(row.target_id);
    if (!target) throw new PermanentJobError(`backup target ${row.target_id} does not exist`);
    const run = await engine.run(await deps.targets.forEngine(target), {
      runId,
      onProgress: throttled(progress),
    });
    await mailSafely(deps.notify.runReport(target, run));
    return run;
  }

  /** The databases map (or directory) of a restore into something new, checked. */
  function destinationOf(t: TargetRow, run: BackupRun, ask: RestoreAsk) {
    if (ask.mode === 'overwrite') return {};
    const into = ask.into?.trim() ?? '';
    if (!into) throw new ValidationError('Say where to restore to');
    if (t.kind === 'files') {
      if (!into.startsWith('/'))
        throw new ValidationError('A directory restore needs an absolute path');
      return { directory: into };
    }
    const dbs = engine.confirmation(
      { id: t.id, name: t.name, config: JSON.parse(t.config) as never },
      run,
    ).databases;
    if (t.kind === 'sqlite') {
      if (!into.startsWith('/'))
        throw new ValidationError('A SQLite restore goes to an absolute file path');
      return { databaseMap: Object.fromEntries(dbs.map((d) => [d, into])) };
    }
    if (!safeName.test(into))
      throw new ValidationError('A database name is letters, digits and underscores (at most 60)');
    const map =
      dbs.length === 1
        ? { [dbs[0]!]: into }
        : Object.fromEntries(dbs.map((d) => [d, `${into}_${d}`.slice(0, 60)]));
    return { databaseMap: map };
  }

  async function queueRestore(
    t: TargetRow,
    runId: string,
    ask: RestoreAsk | { mode: 'test' },
    actor: Actor,
    trigger: Trigger,
    options: { id?: string; uniqueKey?: string; enqueue?: boolean } = {},
  ): Promise<string> {
    const run = await store.persistence.getRun(runId);
    if (!run || run.targetId !== t.id)
      throw new ValidationError('No such backup run of this target');
    if (run.status !== 'good' || run.prunedAt !== null)
      throw new ValidationError(
        'Only a verified backup whose artifacts are still stored can be restored',
      );
    let destination = {};
    if (ask.mode !== 'test') {
      if (ask.mode === 'overwrite') {
        const { phrase } = engine.confirmation(await deps.targets.forEngine(t), run);
        if ((ask.confirm ?? '').trim() !== phrase)
          throw new ValidationError(
            `The confirmation does not match: type "${phrase}" to restore over the original`,
          );
      }
      destination = destinationOf(t, run, ask);
    }
    const id = options.id ?? newId();
    await store.insertRestore({
      id,
      run_id: run.id,
      target_id: t.id,
      mode: ask.mode,
      status: 'queued',
      destination: JSON.stringify(destination),
      trigger,
      requested_by: actor.accountId,
      job_id: null,
      report: '[]',
      created_at: clock.now(),
      started_at: null,
      finished_at: null,
    });
    if (ask.mode !== 'test')
      await deps.audit.record({
        actor,
        ownerAccountId: t.account_id,
        action: 'backup.restore_requested',
        objectType: 'backup_run',
        objectId: run.id,
        after: { restoreId: id, target: t.name, mode: ask.mode, ...destination },
      });
    if (options.enqueue !== false) {
      const jobId = await jobs.enqueue(
        'backups.restore',
        { restoreId: id },
        { uniqueKey: options.uniqueKey ?? `backups.restore:${id}` },
      );
      await store.setRestore(id, { job_id: jobId });
    }
    return id;
  }

  async function executeRestore(
    restoreId: string,
    onProgress?: (p: Progress) => void,
  ): Promise<RestoreRecord> {
    const row = await store.restore(restoreId);
    if (!row) throw new PermanentJobError(`restore ${restoreId} does not exist`);
    const report = JSON.parse(row.report) as ReportLine[];
    const done = (ok: boolean): RestoreRecord => ({
      id: row.id,
      runId: row.run_id,
      targetId: row.target_id,
      mode: row.mode,
      ok,
      startedAt: row.started_at ?? row.created_at,
      finishedAt: row.finished_at ?? row.created_at,
      report,
    });
    if (row.status === 'ok' || row.status === 'failed') return done(row.status === 'ok');
    const [t, run] = [
      await store.target(row.target_id),
      await store.persistence.getRun(row.run_id),
    ];
    if (!t || !run) throw new PermanentJobError(`restore ${restoreId}: its target or run is gone`);
    await store.setRestore(row.id, { status: 'running', started_at: clock.now() });
    const target = await deps.targets.forEngine(t);
    const dest = JSON.parse(row.destination) as {
      databaseMap?: Record<string, string>;
      directory?: string;
    };
    // Bestiary's own database restored over itself would forget this very history (the run
    // would read "running", later runs would vanish): it is kept aside and put back.
    const history =
      t.builtin === 'self' && row.mode === 'overwrite' ? await store.historyOf(t.id) : null;
    const record =
      row.mode === 'test'
        ? await engine.restoreTest(target, run, {
            id: row.id,
            ...(onProgress ? { onProgress } : {}),
          })
        : await engine.restore(target, run, {
            id: row.id,
            mode: row.mode,
            ...dest,
            ...(onProgress ? { onProgress } : {}),
          });
    if (history) {
      const restored = history.restores.map((r) =>
        r.id === record.id
          ? {
              ...r,
              status: record.ok ? ('ok' as const) : ('failed' as const),
              report: JSON.stringify(record.report),
              finished_at: record.finishedAt,
            }
          : r,
      );
      await store.putBack({ ...history, restores: restored });
    }
    if (row.mode !== 'test')
      await deps.audit.record({
        actor: { accountId: row.requested_by, ip: null, channel: 'system' },
        ownerAccountId: t.account_id,
        action: record.ok ? 'backup.restored' : 'backup.restore_failed',
        objectType: 'backup_run',
        objectId: run.id,
        after: { restoreId: row.id, target: t.name, mode: row.mode, ok: record.ok, ...dest },
      });
    await deps.events.emit('backup.restored', {
      ...factOf(t),
      restoreId: row.id,
      runId: run.id,
      mode: row.mode,
      ok: record.ok,
    });
    await mailSafely(deps.notify.restoreReport(t, record));
    return record;
  }

  /** Read back every live good run of a target; a failure un-counts that run and raises the alarm. */
  async function reverifyTarget(targetId: string, deep: boolean): Promise<ReportLine[]> {
    const t = await store.target(targetId);
    if (!t) return [];
    const target = await deps.targets.forEngine(t);
    const all: ReportLine[] = [];
    for (const row of await store.liveGoodRuns(targetId)) {
      const run = runFromRow(row);
      const at = clock.now();
      const lines = (await engine.reverify(target, run, { deep })).map((l) => ({
        ...l,
        text: `re-verify: ${l.text}`,
        at,
      }));
      all.push(...lines);
      if (!lines.some((l) => l.level === 'ERROR')) {
        await store.markReverified(run.id, at);
        continue;
      }
      const verdict = {
        level: 'ERROR' as const,
        text: 're-verify FAILED: this backup no longer counts as good',
        at,
      };
      await store.markReverified(
        run.id,
        at,
        'failed',
        JSON.stringify([...run.report, ...lines, verdict]),
      );
      await deps.events.emit('backup.failed', {
        ...factOf(t),
        runId: run.id,
        at,
        phase: 'reverify',
        summary: verdict.text,
      });
      await mailSafely(deps.notify.reverifyFailed(t, run.id, [...lines, verdict]));
    }
    return all;
  }

  const timeout = (minutes: number) => ({ timeoutSeconds: minutes * 60, maxAttempts: 3 });
  function defineJobs(timeoutMinutes: number, summary: () => Promise<void>): void {
    jobs.define({
      name: 'backups.run',
      ...timeout(timeoutMinutes),
      run: async ({ runId }, ctx) => void (await executeRun(runId, ctx.progress)),
    });
    jobs.define({
      name: 'backups.restore',
      ...timeout(timeoutMinutes),
      run: async ({ restoreId }, ctx) =>
        void (await executeRestore(restoreId, throttled(ctx.progress))),
    });
    jobs.define({
      name: 'backups.reverify',
      ...timeout(timeoutMinutes),
      run: async ({ targetId, deep }) => void (await reverifyTarget(targetId, deep)),
    });
    jobs.define({ name: 'backups.summary', maxAttempts: 3, run: summary });
  }

  return { queueRun, executeRun, queueRestore, executeRestore, reverifyTarget, defineJobs };
}

export type Work = ReturnType<typeof createWork>;
