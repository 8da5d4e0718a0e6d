// Mail: sends through SMTP when configured; otherwise keeps each message in an outbox that
// admins read in the panel. Every message is recorded either way. Owns mail_messages.
import type { Kysely } from 'kysely';
import { createTransport } from 'nodemailer';
import type { Clock } from '../core/clock.js';
import { isoAt } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import type { MailMessagesTable, MailTables } from './tables.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export type StoredMail = MailMessagesTable;

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<StoredMail[]>;
  get(id: string): Promise<StoredMail | undefined>;
  readonly transport: 'smtp' | 'outbox';
}

export interface MailerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  smtpUrl?: string | undefined;
  from: string;
  /** Where the outbox can be read, for the log line. */
  outboxUrl: string;
}

export function createMailer(deps: MailerDeps): Mailer {
  const db: Kysely<MailTables> = deps.db.forModule<MailTables>();
  const smtp = deps.smtpUrl ? createTransport(deps.smtpUrl) : null;
  const log = deps.logger.child({ module: 'mail' });
  return {
    transport: smtp ? 'smtp' : 'outbox',
    async send(message) {
      const id = newId();
      const row: MailMessagesTable = {
        id,
        to_address: message.to,
        subject: message.subject,
        body: message.text,
        transport: smtp ? 'smtp' : 'outbox',
        created_at: isoAt(deps.clock.now()),
        sent_at: null,
        error: null,
      };
      await db.insertInto('mail_messages').values(row).execute();
      if (!smtp) {
        log.info(
          { to: message.to, subject: message.subject, outbox: deps.outboxUrl },
          `no SMTP configured: mail kept in the outbox at ${deps.outboxUrl}`,
        );
        return;
      }
      try {
        await smtp.sendMail({
          from: deps.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
        await db
          .updateTable('mail_messages')
          .set({ sent_at: isoAt(deps.clock.now()) })
          .where('id', '=', id)
          .execute();
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await db.updateTable('mail_messages').set({ error }).where('id', '=', id).execute();
        log.error({ err, to: message.to }, 'SMTP delivery failed; message kept in the outbox');
      }
    },
    list: (limit) =>
      db
        .selectFrom('mail_messages')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    get: (id) => db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst(),
  };
}
