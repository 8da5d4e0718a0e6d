// DNSSEC: each zone's signing keys (KSK and ZSK, private halves sealed) with the timestamps of
// their rollover states, and whether the zone is signed.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db) {
    // Zones that exist before DNSSEC stay unsigned until their owner turns signing on.
    await db.schema
      .alterTable('zones')
      .addColumn('dnssec', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('dnssec_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('zone_id', 'text', (c) => c.notNull().references('zones.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'integer', (c) => c.notNull())
      .addColumn('key_tag', 'integer', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('active_at', 'text')
      .addColumn('retired_at', 'text')
      .addColumn('removed_at', 'text')
      .execute();
    await db.schema.createIndex('dnssec_keys_zone').on('dnssec_keys').column('zone_id').execute();
  },
};
