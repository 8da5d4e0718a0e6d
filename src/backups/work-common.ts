// What the backup jobs share: their dependencies, the owner facts every event carries, stable
// slot ids, and a progress line that does not hammer the job store.
import { createHash } from 'node:crypto';
import type { AuditLog } from '../accounts/index.js';
import type { Clock } from '../core/clock.js';
import type { BackupTargetFact, EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Jobs } from '../jobs/index.js';
import type { BackupEngine } from './backup-engine.js';
import type { Notifier } from './notify.js';
import { formatBytes } from './report.js';
import type { BackupsStore, TargetRow } from './store.js';
import type { Targets } from './targets-admin.js';
import type { Progress } from './types.js';

export interface WorkDeps {
  store: BackupsStore;
  targets: Targets;
  engine: BackupEngine;
  jobs: Jobs;
  events: EventBus;
  audit: AuditLog;
  notify: Notifier;
  clock: Clock;
  logger: Logger;
}

/** A stable id for a scheduled slot, so every instance queues the same row and job. */
export const slotId = (what: string, targetId: string, slot: number): string =>
  createHash('sha256').update(`${what}:${targetId}:${slot}`).digest('hex').slice(0, 26);

export const factOf = (t: TargetRow): BackupTargetFact => ({
  targetId: t.id,
  name: t.name,
  ownerKind: t.owner_kind,
  ownerId: t.owner_id,
  accountId: t.account_id,
});

/** A progress reporter that writes at most every two seconds (each write renews the job lease). */
export function throttled(write: ((text: string) => Promise<void>) | undefined) {
  let last = 0;
  return (p: Progress) => {
    const now = Date.now();
    if (!write || now - last < 2000) return;
    last = now;
    const of = p.total ? ` of ${formatBytes(p.total)}` : '';
    const text = `${p.phase}: ${formatBytes(p.bytes)}${of}${p.table ? ` (${p.table})` : ''}`;
    void write(text).catch(() => undefined);
  };
}

/** Mail is a courtesy: a failed send is logged, never fails the backup or restore. */
export const mailSafely = (logger: Logger) => (p: Promise<void>) =>
  p.catch((err: unknown) => logger.error({ err }, 'backup mail failed'));
