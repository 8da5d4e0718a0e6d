// All SQL of the backups module: targets, runs (the engine's BackupPersistence) and restores.
import type { Kysely, Selectable } from 'kysely';
import type {
  BackupPersistence,
  BackupRun,
  Level,
  RestoreRecord,
  RunStatus,
  TargetKind,
} from './types.js';
import type {
  BackupRestoresTable,
  BackupRunsTable,
  BackupsTables,
  BackupTargetsTable,
  Trigger,
} from './tables.js';

export type TargetRow = Selectable<BackupTargetsTable>;
export type RunRow = Selectable<BackupRunsTable>;
export type RestoreRow = Selectable<BackupRestoresTable>;

/** A stored run as the engine knows it (queued rows never reach here). */
export function runFromRow(r: RunRow): BackupRun {
  return {
    id: r.id,
    targetId: r.target_id,
    kind: r.kind as TargetKind,
    status: r.status as RunStatus,
    level: r.level as Level,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    client: r.client,
    artifacts: JSON.parse(r.artifacts) as BackupRun['artifacts'],
    excludedData: JSON.parse(r.excluded_data) as string[],
    report: JSON.parse(r.report) as BackupRun['report'],
    prunedAt: r.pruned_at,
  };
}

const engineColumns = (run: BackupRun) => ({
  kind: run.kind,
  status: run.status,
  level: run.level,
  started_at: run.startedAt,
  finished_at: run.finishedAt,
  duration_ms: run.durationMs,
  client: run.client,
  artifacts: JSON.stringify(run.artifacts),
  excluded_data: JSON.stringify(run.excludedData),
  report: JSON.stringify(run.report),
  pruned_at: run.prunedAt,
});

export function createBackupsStore(db: Kysely<BackupsTables>) {
  const runs = db.selectFrom('backup_runs').selectAll();

  const persistence: BackupPersistence = {
    async recordRun(run) {
      const columns = engineColumns(run);
      await db
        .insertInto('backup_runs')
        .values({
          id: run.id,
          target_id: run.targetId,
          trigger: 'cli',
          requested_by: null,
          job_id: null,
          reverified_at: null,
          ...columns,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet(columns))
        .execute();
    },
    async listRuns(targetId, options = {}) {
      let q = runs
        .where('target_id', '=', targetId)
        .where('status', '!=', 'queued')
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc');
      if (options.limit) q = q.limit(options.limit);
      return (await q.execute()).map(runFromRow);
    },
    async getRun(id) {
      const r = await runs.where('id', '=', id).where('status', '!=', 'queued').executeTakeFirst();
      return r ? runFromRow(r) : null;
    },
    async recordRestore(record: RestoreRecord) {
      const columns = {
        status: record.ok ? ('ok' as const) : ('failed' as const),
        report: JSON.stringify(record.report),
        started_at: record.startedAt,
        finished_at: record.finishedAt,
      };
      await db
        .insertInto('backup_restores')
        .values({
          id: record.id,
          run_id: record.runId,
          target_id: record.targetId,
          mode: record.mode,
          destination: '{}',
          trigger: 'cli',
          requested_by: null,
          job_id: null,
          created_at: record.startedAt,
          ...columns,
        })
        .onConflict((oc) => oc.column('id').doUpdateSet(columns))
        .execute();
    },
  };

  return {
    persistence,

    insertTarget: (row: TargetRow) => db.insertInto('backup_targets').values(row).execute(),
    async updateTarget(id: string, changes: Partial<TargetRow>): Promise<void> {
      await db.updateTable('backup_targets').set(changes).where('id', '=', id).execute();
    },
    target: (id: string) =>
      db.selectFrom('backup_targets').selectAll().where('id', '=', id).executeTakeFirst(),
    targetByName: (name: string) =>
      db.selectFrom('backup_targets').selectAll().where('name', '=', name).executeTakeFirst(),
    builtinTarget: (builtin: string) =>
      db.selectFrom('backup_targets').selectAll().where('builtin', '=', builtin).executeTakeFirst(),
    /** Every target, or one account's; provider targets have no account. */
    targets(filter: { accountId?: string; enabledOnly?: boolean } = {}) {
      let q = db.selectFrom('backup_targets').selectAll().orderBy('name');
      if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
      if (filter.enabledOnly) q = q.where('enabled', '=', 1);
      return q.execute();
    },

    async insertQueuedRun(row: {
      id: string;
      targetId: string;
      kind: string;
      trigger: Trigger;
      requestedBy: string | null;
      at: number;
    }): Promise<void> {
      await db
        .insertInto('backup_runs')
        .values({
          id: row.id,
          target_id: row.targetId,
          kind: row.kind,
          status: 'queued',
          level: 'INFO',
          trigger: row.trigger,
          requested_by: row.requestedBy,
          job_id: null,
          started_at: row.at,
          finished_at: null,
          duration_ms: null,
          client: null,
          artifacts: '[]',
          excluded_data: '[]',
          report: '[]',
          pruned_at: null,
          reverified_at: null,
        })
        // A scheduled slot's id is the same on every instance: the first insert wins.
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    async setRunJob(id: string, jobId: string): Promise<void> {
      await db.updateTable('backup_runs').set({ job_id: jobId }).where('id', '=', id).execute();
    },
    async markReverified(
      id: string,
      at: number,
      status?: 'failed',
      report?: string,
    ): Promise<void> {
      await db
        .updateTable('backup_runs')
        .set({
          reverified_at: at,
          ...(status ? { status, level: 'ERROR' } : {}),
          ...(report ? { report } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    run: (id: string) => runs.where('id', '=', id).executeTakeFirst(),
    /** Runs of a target as the panel lists them, queued ones included, newest first. */
    runsOf: (targetId: string, limit = 50) =>
      runs
        .where('target_id', '=', targetId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    /** Newest good, unpruned run start per target (monitoring's freshness). */
    async lastGoodByTarget(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('backup_runs')
        .select(['target_id', (eb) => eb.fn.max('started_at').as('at')])
        .where('status', '=', 'good')
        .where('pruned_at', 'is', null)
        .groupBy('target_id')
        .execute();
      return new Map(rows.map((r) => [r.target_id, Number(r.at)]));
    },
    /** Good, unpruned runs whose artifacts a re-verify should read. */
    liveGoodRuns: (targetId: string) =>
      runs
        .where('target_id', '=', targetId)
        .where('status', '=', 'good')
        .where('pruned_at', 'is', null)
        .orderBy('started_at', 'desc')
        .execute(),

    /** A target's own rows, to put back after its database was restored over itself. */
    async historyOf(targetId: string) {
      return {
        target: await db
          .selectFrom('backup_targets')
          .selectAll()
          .where('id', '=', targetId)
          .executeTakeFirst(),
        runs: await runs.where('target_id', '=', targetId).execute(),
        restores: await db
          .selectFrom('backup_restores')
          .selectAll()
          .where('target_id', '=', targetId)
          .execute(),
      };
    },
    async putBack(history: {
      target: TargetRow | undefined;
      runs: RunRow[];
      restores: RestoreRow[];
    }): Promise<void> {
      const { target } = history;
      if (target)
        await db
          .insertInto('backup_targets')
          .values(target)
          .onConflict((oc) => oc.column('id').doUpdateSet(target))
          .execute();
      for (const r of history.runs)
        await db
          .insertInto('backup_runs')
          .values(r)
          .onConflict((oc) => oc.column('id').doUpdateSet(r))
          .execute();
      for (const r of history.restores)
        await db
          .insertInto('backup_restores')
          .values(r)
          .onConflict((oc) => oc.column('id').doUpdateSet(r))
          .execute();
    },

    insertRestore: (row: RestoreRow) =>
      db
        .insertInto('backup_restores')
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute(),
    async setRestore(id: string, changes: Partial<RestoreRow>): Promise<void> {
      await db.updateTable('backup_restores').set(changes).where('id', '=', id).execute();
    },
    restore: (id: string) =>
      db.selectFrom('backup_restores').selectAll().where('id', '=', id).executeTakeFirst(),
    restoresOf: (targetId: string, limit = 20) =>
      db
        .selectFrom('backup_restores')
        .selectAll()
        .where('target_id', '=', targetId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
  };
}

export type BackupsStore = ReturnType<typeof createBackupsStore>;
