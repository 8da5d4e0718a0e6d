// The mail module's table: every message sent, and with no SMTP configured, the outbox.

export interface MailMessagesTable {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  transport: 'smtp' | 'outbox';
  created_at: string;
  sent_at: string | null;
  error: string | null;
}

export interface MailTables {
  mail_messages: MailMessagesTable;
}
