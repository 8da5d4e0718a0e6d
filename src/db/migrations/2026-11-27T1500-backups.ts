// Backups: targets (credentials sealed), their runs with reports and manifests, and restores.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db, dialect) {
    // Owners are plain references (a Pi server id, a managed server id, or none for the
    // provider): other modules' tables change under other hands, so no foreign key reaches them.
    await db.schema
      .createTable('backup_targets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text')
      .addColumn('account_id', 'text')
      .addColumn('config', dialect.textType, (c) => c.notNull())
      .addColumn('secret', 'text')
      .addColumn('schedule', 'text', (c) => c.notNull())
      .addColumn('retention', 'text', (c) => c.notNull())
      .addColumn('restore_test', 'text')
      .addColumn('restore_test_schedule', 'text')
      .addColumn('reverify_schedule', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('builtin', 'text', (c) => c.unique())
      .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
      .addColumn('updated_at', dialect.bigintType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('backup_targets_account')
      .on('backup_targets')
      .column('account_id')
      .execute();

    await db.schema
      .createTable('backup_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('target_id', 'text', (c) =>
        c.notNull().references('backup_targets.id').onDelete('cascade'),
      )
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text')
      .addColumn('job_id', 'text')
      .addColumn('started_at', dialect.bigintType, (c) => c.notNull())
      .addColumn('finished_at', dialect.bigintType)
      .addColumn('duration_ms', dialect.bigintType)
      .addColumn('client', 'text')
      .addColumn('artifacts', dialect.textType, (c) => c.notNull())
      .addColumn('excluded_data', dialect.textType, (c) => c.notNull())
      .addColumn('report', dialect.textType, (c) => c.notNull())
      .addColumn('pruned_at', dialect.bigintType)
      .addColumn('reverified_at', dialect.bigintType)
      .execute();
    await db.schema
      .createIndex('backup_runs_target_started')
      .on('backup_runs')
      .columns(['target_id', 'started_at'])
      .execute();

    await db.schema
      .createTable('backup_restores')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) =>
        c.notNull().references('backup_runs.id').onDelete('cascade'),
      )
      .addColumn('target_id', 'text', (c) =>
        c.notNull().references('backup_targets.id').onDelete('cascade'),
      )
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text')
      .addColumn('job_id', 'text')
      .addColumn('report', dialect.textType, (c) => c.notNull())
      .addColumn('created_at', dialect.bigintType, (c) => c.notNull())
      .addColumn('started_at', dialect.bigintType)
      .addColumn('finished_at', dialect.bigintType)
      .execute();
    await db.schema
      .createIndex('backup_restores_target')
      .on('backup_restores')
      .columns(['target_id', 'created_at'])
      .execute();
  },
};
