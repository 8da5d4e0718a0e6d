// All SQL of monitoring: checks, the engine's batched state, packed time series, destinations, history.
import type { Kysely, Transaction } from 'kysely';
import type { EngineSnapshot, MonitoringPersistence, ResultBatch } from './persistence.js';
import type { RawBlock, RollupDay, SeriesStorage } from './timeseries.js';
import type {
  ActionRow,
  AlertRow,
  CheckRow,
  DestinationRow,
  MonitoringTables,
  StateRow,
} from './tables.js';

type Db = Kysely<MonitoringTables>;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Rows per multi-row INSERT: well inside SQLite's and PostgreSQL's parameter limits. */
const chunk = 400;

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += chunk) yield items.slice(i, i + chunk);
}

const bytes = (a: Uint8Array | Float32Array): Uint8Array =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** A copy, so Float32Array gets an aligned buffer of its own. */
const u8 = (b: Uint8Array): Uint8Array => Uint8Array.from(b);
const f32 = (b: Uint8Array | null): Float32Array | null =>
  b ? new Float32Array(Uint8Array.from(b).buffer) : null;

const json = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

/** Upsert one column of monitoring_state for many checks. */
async function upsertState(
  trx: Transaction<MonitoringTables>,
  column: 'state' | 'beat' | 'metric',
  values: Record<string, unknown>,
): Promise<void> {
  const rows: StateRow[] = Object.entries(values).map(([check_id, v]) => ({
    check_id,
    state: null,
    beat: null,
    metric: null,
    [column]: JSON.stringify(v),
  }));
  for (const part of chunks(rows))
    await trx
      .insertInto('monitoring_state')
      .values(part)
      .onConflict((oc) =>
        oc.column('check_id').doUpdateSet((eb) => ({ [column]: eb.ref(`excluded.${column}`) })),
      )
      .execute();
}

async function putEngine(trx: Transaction<MonitoringTables>, key: string, value: unknown) {
  await trx
    .insertInto('monitoring_engine')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

/** The engine's persistence: one transaction per batch, whatever its size. */
function persistence(db: Db): MonitoringPersistence {
  return {
    async loadState() {
      const snap: EngineSnapshot = {
        version: 1,
        states: {},
        groups: {},
        beats: {},
        metrics: {},
        outbox: [],
        seq: 0,
      };
      // States of checks deleted meanwhile are left behind, not restored.
      const rows = await db
        .selectFrom('monitoring_state')
        .innerJoin('monitoring_checks', 'monitoring_checks.id', 'monitoring_state.check_id')
        .select(['check_id', 'state', 'beat', 'metric'])
        .execute();
      for (const r of rows) {
        const state = json<EngineSnapshot['states'][string]>(r.state);
        const beat = json<EngineSnapshot['beats'][string]>(r.beat);
        const metric = json<EngineSnapshot['metrics'][string]>(r.metric);
        if (state) snap.states[r.check_id] = state;
        if (beat) snap.beats[r.check_id] = beat;
        if (metric) snap.metrics[r.check_id] = metric;
      }
      for (const r of await db.selectFrom('monitoring_engine').selectAll().execute()) {
        if (r.key === 'groups') snap.groups = JSON.parse(r.value) as EngineSnapshot['groups'];
        if (r.key === 'outbox') snap.outbox = JSON.parse(r.value) as EngineSnapshot['outbox'];
        if (r.key === 'seq') snap.seq = JSON.parse(r.value) as number;
      }
      return snap;
    },
    async saveResults(b: ResultBatch) {
      await db.transaction().execute(async (trx) => {
        await upsertState(trx, 'state', b.states);
        await upsertState(trx, 'beat', b.beats);
        await upsertState(trx, 'metric', b.metrics);
        for (const part of chunks(b.removed))
          await trx.deleteFrom('monitoring_state').where('check_id', 'in', part).execute();
        await putEngine(trx, 'groups', b.groups);
        await putEngine(trx, 'seq', b.seq);
        if (b.outbox) await putEngine(trx, 'outbox', b.outbox);
      });
    },
  };
}

/** Series storage keyed by each check's integer series id. */
function series(db: Db, ids: Map<string, number>, rollupDays: () => number): SeriesStorage {
  let prunedRollupsAt = 0;
  /** A check created by another instance is looked up once. */
  const sid = async (checkId: string): Promise<number | undefined> => {
    const known = ids.get(checkId);
    if (known !== undefined) return known;
    const row = await db
      .selectFrom('monitoring_checks')
      .select('series_id')
      .where('id', '=', checkId)
      .executeTakeFirst();
    if (row) ids.set(checkId, row.series_id);
    return row?.series_id;
  };
  const known = <T extends { checkId: string }>(list: T[]) =>
    list.flatMap((x) => {
      const s = ids.get(x.checkId);
      return s === undefined ? [] : [{ s, x }];
    });
  return {
    async writeBlocks(blocks: RawBlock[]) {
      const rows = known(blocks).map(({ s, x }) => ({
        series: s,
        hour: x.hour / hourMs,
        latency: bytes(x.latency),
        vals: x.values ? bytes(x.values) : null,
      }));
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(rows))
          await trx
            .insertInto('monitoring_raw')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['series', 'hour']).doUpdateSet((eb) => ({
                latency: eb.ref('excluded.latency'),
                vals: eb.ref('excluded.vals'),
              })),
            )
            .execute();
      });
    },
    async writeRollups(days: RollupDay[]) {
      const rows = known(days).map(({ s, x }) => ({
        series: s,
        day: x.day / dayMs,
        data: bytes(x.data),
        vals: x.values ? bytes(x.values) : null,
      }));
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(rows))
          await trx
            .insertInto('monitoring_rollup')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['series', 'day']).doUpdateSet((eb) => ({
                data: eb.ref('excluded.data'),
                vals: eb.ref('excluded.vals'),
              })),
            )
            .execute();
      });
    },
    async readBlocks(checkId, fromHour, toHour) {
      const s = await sid(checkId);
      if (s === undefined) return [];
      const rows = await db
        .selectFrom('monitoring_raw')
        .selectAll()
        .where('series', '=', s)
        .where('hour', '>=', Math.floor(fromHour / hourMs))
        .where('hour', '<=', Math.floor(toHour / hourMs))
        .execute();
      return rows.map((r) => ({
        checkId,
        hour: r.hour * hourMs,
        latency: u8(r.latency),
        values: f32(r.vals),
      }));
    },
    async readRollups(checkId, fromDay, toDay) {
      const s = await sid(checkId);
      if (s === undefined) return [];
      const rows = await db
        .selectFrom('monitoring_rollup')
        .selectAll()
        .where('series', '=', s)
        .where('day', '>=', Math.floor(fromDay / dayMs))
        .where('day', '<=', Math.floor(toDay / dayMs))
        .execute();
      return rows.map((r) => ({
        checkId,
        day: r.day * dayMs,
        data: u8(r.data),
        values: f32(r.vals),
      }));
    },
    async pruneBlocks(beforeHour) {
      await db
        .deleteFrom('monitoring_raw')
        .where('hour', '<', beforeHour / hourMs)
        .execute();
      // Rollups are pruned on the same call, at most once an hour.
      if (beforeHour - prunedRollupsAt < hourMs) return;
      prunedRollupsAt = beforeHour;
      const before = Math.floor(beforeHour / dayMs) - rollupDays();
      await db.deleteFrom('monitoring_rollup').where('day', '<', before).execute();
    },
  };
}

export type NewCheckRow = Omit<CheckRow, 'series_id'>;

export function createMonitoringStore(db: Db, options: { rollupDays: number }) {
  /** checkId -> series id, for every check this instance knows. */
  const seriesIds = new Map<string, number>();
  let inserting: Promise<unknown> = Promise.resolve();
  async function insertWithNextSeries(row: NewCheckRow): Promise<CheckRow> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute(async (trx) => {
          const top = await trx
            .selectFrom('monitoring_checks')
            .select((eb) => eb.fn.max('series_id').as('top'))
            .executeTakeFirst();
          const full: CheckRow = { ...row, series_id: Number(top?.top ?? 0) + 1 };
          await trx.insertInto('monitoring_checks').values(full).execute();
          seriesIds.set(full.id, full.series_id);
          return full;
        });
      } catch (err) {
        // Two instances may take the same next series id; the loser tries again.
        if (attempt >= 3) throw err;
      }
    }
  }
  const checks = db.selectFrom('monitoring_checks').selectAll();

  return {
    persistence: persistence(db),
    series: series(db, seriesIds, () => options.rollupDays),

    /** Every check (loaded into the engine at start). */
    async allChecks(): Promise<CheckRow[]> {
      const rows = await checks.orderBy('created_at').execute();
      for (const r of rows) seriesIds.set(r.id, r.series_id);
      return rows;
    },
    check: (id: string) => checks.where('id', '=', id).executeTakeFirst(),
    checkByOrigin: (origin: string) => checks.where('origin', '=', origin).executeTakeFirst(),
    checkByToken: (token: string) => checks.where('push_token', '=', token).executeTakeFirst(),
    checksWithOriginPrefix: (prefix: string) =>
      checks.where('origin', 'like', `${prefix.replace(/[%_]/g, '')}%`).execute(),
    async countUserChecks(accountId: string): Promise<number> {
      const r = await db
        .selectFrom('monitoring_checks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('source', '=', 'user')
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /**
     * Insert a check with the next series id. Inserts from this process take turns (24 Pis going
     * live at once make 48 checks, more than retries alone absorb on PostgreSQL); a racing insert
     * on another instance retries.
     */
    insertCheck(row: NewCheckRow): Promise<CheckRow> {
      const turn = inserting.then(() => insertWithNextSeries(row));
      inserting = turn.catch(() => undefined);
      return turn;
    },
    async updateCheck(id: string, set: Partial<Omit<CheckRow, 'id' | 'series_id'>>) {
      await db.updateTable('monitoring_checks').set(set).where('id', '=', id).execute();
    },
    /** Delete a check with its state, series and history. */
    async deleteCheck(id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('monitoring_checks')
          .select('series_id')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) return;
        await trx.deleteFrom('monitoring_checks').where('id', '=', id).execute();
        await trx.deleteFrom('monitoring_state').where('check_id', '=', id).execute();
        await trx.deleteFrom('monitoring_raw').where('series', '=', row.series_id).execute();
        await trx.deleteFrom('monitoring_rollup').where('series', '=', row.series_id).execute();
        await trx.deleteFrom('monitoring_alerts').where('check_id', '=', id).execute();
        await trx.deleteFrom('monitoring_actions').where('check_id', '=', id).execute();
      });
      seriesIds.delete(id);
    },

    /** Destinations: an account's own, the provider's (null), or every one (no argument). */
    destinations(owner?: string | null): Promise<DestinationRow[]> {
      let q = db.selectFrom('monitoring_destinations').selectAll().orderBy('created_at');
      if (owner === null) q = q.where('account_id', 'is', null);
      else if (owner !== undefined) q = q.where('account_id', '=', owner);
      return q.execute();
    },
    async insertDestination(row: DestinationRow) {
      await db.insertInto('monitoring_destinations').values(row).execute();
    },
    async deleteDestination(accountId: string | null, id: string): Promise<boolean> {
      let q = db.deleteFrom('monitoring_destinations').where('id', '=', id);
      q =
        accountId === null
          ? q.where('account_id', 'is', null)
          : q.where('account_id', '=', accountId);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Record an alert once (a restart resends undelivered alerts with the same id). */
    async recordAlert(row: AlertRow) {
      await db
        .insertInto('monitoring_alerts')
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    alerts: (checkId: string, limit: number) =>
      db
        .selectFrom('monitoring_alerts')
        .selectAll()
        .where('check_id', '=', checkId)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute(),
    async recordAction(row: ActionRow) {
      await db.insertInto('monitoring_actions').values(row).execute();
    },
    actions: (checkId: string, limit: number) =>
      db
        .selectFrom('monitoring_actions')
        .selectAll()
        .where('check_id', '=', checkId)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute(),
    async pruneHistory(before: number) {
      await db.deleteFrom('monitoring_alerts').where('at', '<', before).execute();
      await db.deleteFrom('monitoring_actions').where('at', '<', before).execute();
    },
  };
}

export type MonitoringStore = ReturnType<typeof createMonitoringStore>;
