// All SQL of the DNS module: zones, records, the change history and TSIG keys.
import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../db/index.js';
import type {
  DnsTables,
  TsigKeysTable,
  ZoneChangesTable,
  ZoneRecordsTable,
  ZonesTable,
} from './tables.js';

export type ZoneRow = Selectable<ZonesTable>;
export type RecordRow = Selectable<ZoneRecordsTable>;
export type ChangeRow = Selectable<ZoneChangesTable>;
export type TsigKeyRow = Selectable<TsigKeysTable>;

/** How many changes of a zone are kept for IXFR; older secondaries fall back to AXFR. */
export const HISTORY_KEPT = 200;

function queries(db: Kysely<DnsTables>, dialect: Dialect) {
  return {
    zoneByName: (name: string) =>
      db.selectFrom('zones').selectAll().where('name', '=', name).executeTakeFirst(),
    zoneById: (id: string) =>
      db.selectFrom('zones').selectAll().where('id', '=', id).executeTakeFirst(),
    /** The zone row, locked for the rest of the transaction (PostgreSQL; SQLite locks the database). */
    lockZone: (id: string) =>
      dialect.lockRows(db.selectFrom('zones').selectAll().where('id', '=', id)).executeTakeFirst(),
    zonesOf: (accountId: string) =>
      db
        .selectFrom('zones')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('name')
        .execute(),
    allZones: () => db.selectFrom('zones').selectAll().orderBy('name').execute(),
    insertZone: (row: ZoneRow) => db.insertInto('zones').values(row).execute(),
    async updateZone(id: string, changes: Partial<ZoneRow>): Promise<void> {
      await db.updateTable('zones').set(changes).where('id', '=', id).execute();
    },
    async deleteZone(id: string): Promise<void> {
      await db.deleteFrom('zones').where('id', '=', id).execute();
    },

    recordsOf: (zoneId: string) =>
      db
        .selectFrom('zone_records')
        .selectAll()
        .where('zone_id', '=', zoneId)
        .orderBy('seq')
        .execute(),
    async insertRecords(rows: RecordRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('zone_records')
          .values(rows.slice(i, i + 500))
          .execute();
    },
    async deleteRecords(ids: string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 500)
        await db
          .deleteFrom('zone_records')
          .where('id', 'in', ids.slice(i, i + 500))
          .execute();
    },
    async maxSeq(zoneId: string): Promise<number> {
      const row = await db
        .selectFrom('zone_records')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('zone_id', '=', zoneId)
        .executeTakeFirst();
      return Number(row?.m ?? 0);
    },

    insertChange: (row: ChangeRow) => db.insertInto('zone_changes').values(row).execute(),
    changesSince: (zoneId: string, fromSerial: number) =>
      db
        .selectFrom('zone_changes')
        .selectAll()
        .where('zone_id', '=', zoneId)
        .where('new_serial', '>', fromSerial)
        .orderBy('new_serial')
        .execute(),
    async pruneChanges(zoneId: string): Promise<void> {
      const keep = await db
        .selectFrom('zone_changes')
        .select('new_serial')
        .where('zone_id', '=', zoneId)
        .orderBy('new_serial', 'desc')
        .offset(HISTORY_KEPT)
        .limit(1)
        .executeTakeFirst();
      if (keep)
        await db
          .deleteFrom('zone_changes')
          .where('zone_id', '=', zoneId)
          .where('new_serial', '<=', keep.new_serial)
          .execute();
    },

    insertTsigKey: (row: TsigKeyRow) => db.insertInto('tsig_keys').values(row).execute(),
    tsigKeyByName: (name: string) =>
      db.selectFrom('tsig_keys').selectAll().where('name', '=', name).executeTakeFirst(),
    tsigKeysOf: (accountId: string) =>
      db
        .selectFrom('tsig_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .execute(),
    async updateTsigKey(id: string, changes: Partial<TsigKeyRow>): Promise<void> {
      await db.updateTable('tsig_keys').set(changes).where('id', '=', id).execute();
    },
  };
}

export type DnsStore = ReturnType<typeof queries> & {
  transaction<T>(fn: (store: DnsStore) => Promise<T>): Promise<T>;
};

export function createDnsStore(db: Kysely<DnsTables>, dialect: Dialect): DnsStore {
  return {
    ...queries(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(createDnsStore(trx, dialect))),
  };
}
