// All SQL of the job queue. Claiming uses the dialect's skipLocked (FOR UPDATE SKIP LOCKED on
// PostgreSQL), so any number of runners on one database run each job once.
import type { Kysely } from 'kysely';
import type { Dialect } from '../db/index.js';
import type { JobsTable, JobsTables } from './tables.js';

export type JobRow = JobsTable;

export function createJobStore(db: Kysely<JobsTables>, dialect: Dialect) {
  return {
    async insert(row: JobRow): Promise<string> {
      if (row.unique_key) {
        const existing = await db
          .selectFrom('jobs')
          .select('id')
          .where('unique_key', '=', row.unique_key)
          .executeTakeFirst();
        if (existing) return existing.id;
      }
      await db
        .insertInto('jobs')
        .values(row)
        .onConflict((oc) => oc.column('unique_key').doNothing())
        .execute();
      if (!row.unique_key) return row.id;
      const stored = await db
        .selectFrom('jobs')
        .select('id')
        .where('unique_key', '=', row.unique_key)
        .executeTakeFirstOrThrow();
      return stored.id;
    },

    get: (id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst(),

    /**
     * Claim up to `limit` due jobs for `runner`: queued ones whose time has come, and running
     * ones whose lease ran out (their runner died). Attempts are counted at claim time.
     */
    async claim(
      runner: string,
      now: string,
      leaseUntil: string,
      limit: number,
      names: string[],
    ): Promise<JobRow[]> {
      if (names.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const due = await dialect
          .skipLocked(
            trx
              .selectFrom('jobs')
              .select('id')
              .where('name', 'in', names)
              .where((eb) =>
                eb.or([
                  eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
                  eb.and([eb('state', '=', 'running'), eb('locked_until', '<', now)]),
                ]),
              )
              .orderBy('run_at')
              .limit(limit),
          )
          .execute();
        if (due.length === 0) return [];
        return trx
          .updateTable('jobs')
          .set((eb) => ({
            state: 'running',
            locked_by: runner,
            locked_until: leaseUntil,
            attempts: eb('attempts', '+', 1),
            updated_at: now,
          }))
          .where(
            'id',
            'in',
            due.map((d) => d.id),
          )
          .returningAll()
          .execute();
      });
    },

    async finish(id: string, runner: string, now: string): Promise<void> {
      await db
        .updateTable('jobs')
        .set({
          state: 'done',
          locked_by: null,
          locked_until: null,
          finished_at: now,
          updated_at: now,
          last_error: null,
        })
        .where('id', '=', id)
        .where('locked_by', '=', runner)
        .execute();
    },

    async fail(
      id: string,
      runner: string,
      error: string,
      retryAt: string | null,
      now: string,
    ): Promise<void> {
      await db
        .updateTable('jobs')
        .set({
          state: retryAt ? 'queued' : 'failed',
          run_at: retryAt ?? now,
          locked_by: null,
          locked_until: null,
          last_error: error.slice(0, 4000),
          finished_at: retryAt ? null : now,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('locked_by', '=', runner)
        .execute();
    },

    async extendLease(
      id: string,
      runner: string,
      leaseUntil: string,
      progress?: string,
    ): Promise<boolean> {
      const result = await db
        .updateTable('jobs')
        .set({ locked_until: leaseUntil, ...(progress !== undefined ? { progress } : {}) })
        .where('id', '=', id)
        .where('locked_by', '=', runner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async countByState(): Promise<Record<string, number>> {
      const rows = await db
        .selectFrom('jobs')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },

    async recent(limit: number): Promise<JobRow[]> {
      return db.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
