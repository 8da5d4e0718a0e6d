// Primary DNS: zones, their records, the change history IXFR is built from, and TSIG keys.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('zones')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) =>
        c.notNull().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('default_ttl', 'integer', (c) => c.notNull())
      .addColumn('serial', dialect.bigintType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('zones_account').on('zones').column('account_id').execute();

    await db.schema
      .createTable('zone_records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('zone_id', 'text', (c) => c.notNull().references('zones.id').onDelete('cascade'))
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('ttl', 'integer', (c) => c.notNull())
      .addColumn('rdata', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('seq', dialect.bigintType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('zone_records_zone')
      .on('zone_records')
      .columns(['zone_id', 'host', 'type'])
      .execute();

    await db.schema
      .createTable('zone_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('zone_id', 'text', (c) => c.notNull().references('zones.id').onDelete('cascade'))
      .addColumn('old_serial', dialect.bigintType, (c) => c.notNull())
      .addColumn('new_serial', dialect.bigintType, (c) => c.notNull())
      .addColumn('removed', 'text', (c) => c.notNull())
      .addColumn('added', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('zone_changes_zone')
      .on('zone_changes')
      .columns(['zone_id', 'new_serial'])
      .execute();

    await db.schema
      .createTable('tsig_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) =>
        c.notNull().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .execute();
  },
};
