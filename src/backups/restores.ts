// Restores and restore tests as jobs: checked and audited when asked for (an overwrite only with
// the typed phrase), then run idempotently; the outcome is audited, emitted and mailed.
import type { Actor } from '../core/actor.js';
import { ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { PermanentJobError } from '../jobs/index.js';
import type { TargetRow } from './store.js';
import type { Trigger } from './tables.js';
import type { BackupRun, Progress, ReportLine, RestoreRecord } from './types.js';
import { factOf, mailSafely, type WorkDeps } from './work-common.js';

/** What a restore asks for; `confirm` must equal the phrase for an overwrite. */
export interface RestoreAsk {
  mode: 'new' | 'overwrite';
  /** New database name (prefix when the run holds several), SQLite file or directory. */
  into?: string;
  confirm?: string;
}

const safeName = /^[A-Za-z0-9_]{1,60}$/;

export function createRestores(deps: WorkDeps) {
  const { store, engine, jobs, clock } = deps;
  const mailed = mailSafely(deps.logger.child({ module: 'backups' }));

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
    await mailed(deps.notify.restoreReport(t, record));
    return record;
  }

  /** Read back every live good run of a target; a failure un-counts that run and raises the alarm. */

  return { queueRestore, executeRestore };
}
