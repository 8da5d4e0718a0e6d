// All SQL of DNSSEC: the dnssec_keys table and the zones.dnssec flag.
import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../../db/index.js';
import type { DnsTables, DnssecKeysTable } from '../tables.js';

export type DnssecKeyRow = Selectable<DnssecKeysTable>;

export interface KeyStore {
  keysOf(zoneId: string): Promise<DnssecKeyRow[]>;
  insertKey(row: DnssecKeyRow): Promise<unknown>;
  updateKey(id: string, changes: Partial<DnssecKeyRow>): Promise<void>;
  bumpSerial(zoneId: string, from: number, at: string): Promise<boolean>;
  /** The zone's serial as stored now. */
  zoneSerial(zoneId: string): Promise<number>;
  setSigning(zoneId: string, on: boolean, at: string): Promise<void>;
  /**
   * Run `fn` in a transaction holding the zone's row lock, so two instances never both create a
   * zone's first keys or take the same rollover step (SQLite serialises writers anyway).
   */
  withZoneLocked<T>(zoneId: string, fn: (store: KeyStore) => Promise<T>): Promise<T>;
}

export function createKeyStore(db: Kysely<DnsTables>, dialect: Dialect): KeyStore {
  return {
    withZoneLocked: (zoneId, fn) =>
      db.transaction().execute(async (trx) => {
        await dialect
          .lockRows(trx.selectFrom('zones').select('id').where('id', '=', zoneId))
          .executeTakeFirst();
        return fn(createKeyStore(trx, dialect));
      }),
    /** A zone's keys that are not yet removed, oldest first. */
    keysOf: (zoneId: string) =>
      db
        .selectFrom('dnssec_keys')
        .selectAll()
        .where('zone_id', '=', zoneId)
        .where('state', '!=', 'removed')
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    insertKey: (row: DnssecKeyRow) => db.insertInto('dnssec_keys').values(row).execute(),
    async updateKey(id: string, changes: Partial<DnssecKeyRow>): Promise<void> {
      await db.updateTable('dnssec_keys').set(changes).where('id', '=', id).execute();
    },
    /** Move a zone to the next serial unless someone else just did; true when we did. */
    async bumpSerial(zoneId: string, from: number, at: string): Promise<boolean> {
      const r = await db
        .updateTable('zones')
        .set({ serial: from + 1, updated_at: at })
        .where('id', '=', zoneId)
        .where('serial', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async zoneSerial(zoneId: string): Promise<number> {
      const row = await db
        .selectFrom('zones')
        .select('serial')
        .where('id', '=', zoneId)
        .executeTakeFirstOrThrow();
      return Number(row.serial);
    },
    async setSigning(zoneId: string, on: boolean, at: string): Promise<void> {
      await db
        .updateTable('zones')
        .set({ dnssec: on ? 1 : 0, updated_at: at })
        .where('id', '=', zoneId)
        .execute();
    },
  };
}
