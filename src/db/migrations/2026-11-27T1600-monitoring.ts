// Monitoring: checks and their owners, engine state, packed time series, destinations, alert history.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db, dialect) {
    // Owners are plain references (an account, or none for the provider); automatic checks name
    // their origin (a Pi server, a backup target) so they can be found and removed with it.
    await db.schema
      .createTable('monitoring_checks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull().unique())
      .addColumn('definition', dialect.textType, (c) => c.notNull())
      .addColumn('public', 'integer', (c) => c.notNull())
      .addColumn('push_token', 'text', (c) => c.unique())
      // Time-series rows are keyed by this integer: a 26-character id in every row would
      // weigh more than the data (docs/benchmarks-monitoring.md).
      .addColumn('series_id', 'integer', (c) => c.notNull().unique())
      .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
      .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('monitoring_checks_account')
      .on('monitoring_checks')
      .column('account_id')
      .execute();

    // The engine's state per check, written in batches; no foreign key, so a batch racing a
    // deleted check never fails the whole write.
    await db.schema
      .createTable('monitoring_state')
      .addColumn('check_id', 'text', (c) => c.primaryKey())
      .addColumn('state', dialect.textType)
      .addColumn('beat', dialect.textType)
      .addColumn('metric', dialect.textType)
      .execute();
    await db.schema
      .createTable('monitoring_engine')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', dialect.textType, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('monitoring_raw')
      .addColumn('series', 'integer', (c) => c.notNull())
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('latency', dialect.blobType, (c) => c.notNull())
      .addColumn('vals', dialect.blobType)
      .addPrimaryKeyConstraint('monitoring_raw_pk', ['series', 'hour'])
      .modifyEnd(dialect.compactTable)
      .execute();
    await db.schema
      .createTable('monitoring_rollup')
      .addColumn('series', 'integer', (c) => c.notNull())
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('data', dialect.blobType, (c) => c.notNull())
      .addColumn('vals', dialect.blobType)
      .addPrimaryKeyConstraint('monitoring_rollup_pk', ['series', 'day'])
      .modifyEnd(dialect.compactTable)
      .execute();

    await db.schema
      .createTable('monitoring_destinations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('format', 'text')
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('monitoring_destinations_account')
      .on('monitoring_destinations')
      .column('account_id')
      .execute();

    // Every alert decided, kept: the history of state changes.
    await db.schema
      .createTable('monitoring_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('check_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('line', dialect.textType, (c) => c.notNull())
      .addColumn('at', dialect.bigintType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('monitoring_alerts_check_at')
      .on('monitoring_alerts')
      .columns(['check_id', 'at'])
      .execute();

    // Acknowledgements and silences (maintenance windows) as given, with who and why.
    await db.schema
      .createTable('monitoring_actions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('check_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('by_name', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('until', dialect.bigintType)
      .addColumn('at', dialect.bigintType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('monitoring_actions_check_at')
      .on('monitoring_actions')
      .columns(['check_id', 'at'])
      .execute();
  },
};
