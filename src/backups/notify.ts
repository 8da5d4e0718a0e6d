// Reports by mail: each run's report to the target's owner (a customer, or the provider's
// operators), failed restores and restore tests, and the operators' daily summary.
import type { Mailer } from '../mail/index.js';
import { formatReport } from './report.js';
import type { TargetRow } from './store.js';
import type { BackupRun, ReportLine, RestoreRecord } from './types.js';

export interface NotifyDeps {
  mailer: Pick<Mailer, 'send'>;
  /** A customer's address, by account id. */
  emailOf(accountId: string): Promise<string | null>;
  /** Configured operator addresses, or every administrator's. */
  operators(): Promise<string[]>;
  panelUrl: string;
  emailReports: 'all' | 'problems';
}

export function createNotifier(deps: NotifyDeps) {
  async function ownersOf(target: TargetRow): Promise<string[]> {
    if (target.account_id) {
      const email = await deps.emailOf(target.account_id);
      return email ? [email] : [];
    }
    return deps.operators();
  }
  async function send(to: string[], subject: string, text: string): Promise<void> {
    for (const address of to) await deps.mailer.send({ to: address, subject, text });
  }
  const worst = (lines: readonly ReportLine[]) =>
    lines.some((l) => l.level === 'ERROR')
      ? 'ERROR'
      : lines.some((l) => l.level === 'WARN')
        ? 'WARN'
        : 'OK';

  return {
    /** The run's report to the target's owner. */
    async runReport(target: TargetRow, run: BackupRun): Promise<void> {
      const level = worst(run.report);
      if (deps.emailReports === 'problems' && level === 'OK') return;
      const verdict = run.status === 'good' ? 'verified' : 'FAILED';
      await send(
        await ownersOf(target),
        `[backup ${level}] ${target.name}: ${verdict}`,
        `${formatReport(run.report)}\n\nThe run in the panel: ${deps.panelUrl}/backups/runs/${run.id}\n`,
      );
    },
    /** Restores always; restore tests only when they did not pass cleanly. */
    async restoreReport(target: TargetRow, record: RestoreRecord): Promise<void> {
      const level = worst(record.report);
      if (record.mode === 'test' && level === 'OK') return;
      const what = record.mode === 'test' ? 'restore test' : `restore (${record.mode})`;
      await send(
        await ownersOf(target),
        `[backup ${level}] ${target.name}: ${what} ${record.ok ? 'passed' : 'FAILED'}`,
        `${formatReport(record.report)}\n\nIn the panel: ${deps.panelUrl}/backups/restores/${record.id}\n`,
      );
    },
    /** A stored backup failed its re-verify (bit rot, truncation): no longer counted as good. */
    async reverifyFailed(target: TargetRow, runId: string, lines: ReportLine[]): Promise<void> {
      await send(
        await ownersOf(target),
        `[backup ERROR] ${target.name}: a stored backup failed its re-verify`,
        `${formatReport(lines)}\n\nThe run in the panel: ${deps.panelUrl}/backups/runs/${runId}\n`,
      );
    },
    async dailySummary(text: string): Promise<void> {
      const lines = text.split('\n').filter(Boolean);
      const count = (p: string) => lines.filter((l) => l.startsWith(p)).length;
      await send(
        await deps.operators(),
        `Backups daily summary: ${count('OK')} OK, ${count('WARN')} WARN, ${count('ERROR')} ERROR`,
        `${text}\n\nAll targets: ${deps.panelUrl}/admin/backups\n`,
      );
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
