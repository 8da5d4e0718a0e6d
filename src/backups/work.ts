// Backups and re-verifies as durable jobs carrying ids: queue a row, enqueue its job, and run it
// idempotently (a finished row is left alone); restores live in restores.ts. Events and mail here.
import { newId } from '../core/ids.js';
import { PermanentJobError } from '../jobs/index.js';
import { createRestores } from './restores.js';
import type { TargetRow } from './store.js';
import { runFromRow } from './store.js';
import type { Trigger } from './tables.js';
import type { BackupRun, ReportLine } from './types.js';
import { factOf, mailSafely, throttled, type WorkDeps } from './work-common.js';

export type { RestoreAsk } from './restores.js';
export { factOf, slotId, type WorkDeps } from './work-common.js';

declare module '../jobs/index.js' {
  interface JobPayloads {
    'backups.run': { runId: string };
    'backups.restore': { restoreId: string };
    'backups.reverify': { targetId: string; deep: boolean };
    'backups.summary': { slot: number };
  }
}

export function createWork(deps: WorkDeps) {
  const { store, engine, jobs, clock } = deps;
  const mailed = mailSafely(deps.logger.child({ module: 'backups' }));
  const { queueRestore, executeRestore } = createRestores(deps);

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
    await mailed(deps.notify.runReport(target, run));
    return run;
  }

  /** The databases map (or directory) of a restore into something new, checked. */

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
      await mailed(deps.notify.reverifyFailed(t, run.id, [...lines, verdict]));
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
