// Every email Bestiary sends is recorded; with no SMTP configured, this table is the outbox.
import type { DatedMigration } from './types.js';

export const migration: DatedMigration = {
  async up(db) {
    await db.schema
      .createTable('mail_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('mail_messages_created')
      .on('mail_messages')
      .column('created_at')
      .execute();
  },
};
