// All SQL of the parent checks: the dnssec_status table (one row per zone once checked or turning off).
import type { Kysely, Selectable } from 'kysely';
import type { DnsTables, DnssecStatusTable } from '../tables.js';

export type DnssecStatusRow = Selectable<DnssecStatusTable>;

export function createStatusStore(db: Kysely<DnsTables>) {
  return {
    get: (zoneId: string) =>
      db.selectFrom('dnssec_status').selectAll().where('zone_id', '=', zoneId).executeTakeFirst(),
    /** Signed zones whose parent was last checked before `before` (or never), oldest first. */
    async dueZones(before: string, limit: number) {
      return db
        .selectFrom('zones')
        .leftJoin('dnssec_status', 'dnssec_status.zone_id', 'zones.id')
        .select(['zones.id', 'zones.name', 'zones.dnssec', 'zones.serial'])
        .where('zones.dnssec', '=', 1)
        .where((eb) =>
          eb.or([
            eb('dnssec_status.checked_at', 'is', null),
            eb('dnssec_status.checked_at', '<', before),
          ]),
        )
        .orderBy('dnssec_status.checked_at')
        .limit(limit)
        .execute();
    },
    /** Write the row, creating it the first time. */
    async put(row: DnssecStatusRow): Promise<void> {
      const { zone_id, ...rest } = row;
      const updated = await db
        .updateTable('dnssec_status')
        .set(rest)
        .where('zone_id', '=', zone_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await db.insertInto('dnssec_status').values(row).execute();
    },
  };
}

export type StatusStore = ReturnType<typeof createStatusStore>;
