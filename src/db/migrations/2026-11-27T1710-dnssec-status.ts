// DNSSEC at the parent: per signed zone, what the last check of the parent's DS found and when,
// and where the zone stands in turning DNSSEC off safely (docs/decisions.md, DNSSEC).
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db) {
    await db.schema
      .createTable('dnssec_status')
      .addColumn('zone_id', 'text', (c) =>
        c.primaryKey().references('zones.id').onDelete('cascade'),
      )
      // unknown | waiting | secure | mismatch
      .addColumn('status', 'text', (c) => c.notNull())
      // JSON: each DS (presentation text) seen at the parent, since when, and when it went.
      .addColumn('parent_ds', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('ds_ttl', 'integer')
      .addColumn('checked_at', 'text')
      .addColumn('error', 'text')
      // Since when the parent has had no DS for the zone (null while it has one).
      .addColumn('ds_absent_since', 'text')
      // When the owner asked to turn DNSSEC off (null: not turning off).
      .addColumn('turning_off_at', 'text')
      .execute();
  },
};
