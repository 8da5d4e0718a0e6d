// The email notifier: one short message per alert, through SMTP (nodemailer) or the mail module.
import { createTransport } from 'nodemailer';
import type { Alert } from '../types.js';
import type { Notifier } from './notifier.js';

/** The shape of the mail module's `Mailer.send`, so either it or plain SMTP can carry alerts. */
export type SendMail = (message: { to: string; subject: string; text: string }) => Promise<void>;

/** A SendMail over SMTP, e.g. `smtp://user:pass@mail.example.com:587`. */
export function smtpSender(url: string, from: string): SendMail {
  const transport = createTransport(url);
  return async (m) => {
    await transport.sendMail({ from, ...m });
  };
}

const subjects: Record<Alert['kind'], string> = {
  problem: 'PROBLEM',
  recovery: 'RECOVERY',
  reminder: 'STILL DOWN',
  'flap-start': 'FLAPPING',
  'flap-end': 'FLAPPING ENDED',
  summary: 'SUMMARY',
};

/** Create the email notifier; a destination is an address. */
export function createEmailNotifier(deps: { send: SendMail }): Notifier {
  return {
    kind: 'email',
    async send(to, alert) {
      const members = alert.members?.map((m) => `  ${m.label}`).join('\n');
      const text = [
        alert.line,
        '',
        `at ${new Date(alert.at).toISOString()}`,
        members ? `\nchecks:\n${members}` : '',
      ]
        .join('\n')
        .trimEnd();
      await deps.send({
        to,
        subject: `[${subjects[alert.kind]}] ${alert.label}`,
        text: `${text}\n`,
      });
    },
    async close() {},
  };
}
