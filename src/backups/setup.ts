// The module's engine on its dependencies: where artifacts live, how they are encrypted, and the
// heartbeat that turns every finished run into a backup.succeeded or backup.failed event.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLog } from '../accounts/index.js';
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/index.js';
import type { Jobs } from '../jobs/index.js';
import type { Mailer } from '../mail/index.js';
import { createBackupEngine } from './backup-engine.js';
import type { SelfDatabase } from './self.js';
import { createLocalStorage } from './storage/local.js';
import type { BackupsStore } from './store.js';
import type { ReportLine, RetentionPolicy } from './types.js';
import { factOf } from './work-common.js';

export interface BackupsConfig {
  enabled: boolean;
  storageDir?: string | undefined;
  tmpDir?: string | undefined;
  tickSeconds: number;
  defaultSchedule: string;
  defaultRetention: RetentionPolicy;
  defaultRestoreTestSchedule: string;
  defaultReverifySchedule: string;
  summarySchedule: string;
  operatorEmails: readonly string[];
  emailReports: 'all' | 'problems';
  staleGraceMinutes: number;
  jobTimeoutMinutes: number;
  recipient?: string | undefined;
  identities: readonly string[];
  zstdLevel: number;
  self: { enabled: boolean; schedule: string; restoreTestSchedule: string };
}

export interface BackupsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  jobs: Jobs;
  audit: AuditLog;
  mailer: Pick<Mailer, 'send'>;
  config: BackupsConfig;
  /** 32 bytes derived from the provider's secret key: see backupKeyFrom. */
  providerKey: Uint8Array;
  dataDir: string;
  self: SelfDatabase;
  panelUrl: string;
  emailOf(accountId: string): Promise<string | null>;
  /** Every administrator's address (operators, when none are configured). */
  admins(): Promise<string[]>;
  /** The picloud door: an account's Pi by name. */
  findPi?(accountId: string, name: string): Promise<{ id: string } | null>;
  /** Seam: a Pi's root directory on disk, once the picloud module offers one. */
  piRoot?(piId: string): Promise<string | null>;
}

/** The backups key (artifacts, credentials at rest), derived from the provider's secret key. */
export const backupKeyFrom = (secretKey: string): Uint8Array =>
  new Uint8Array(hkdfSync('sha256', secretKey, 'bestiary', 'backups', 32));

/** The engine, and the scratch directory (if any) that stop() must remove. */
export function createModuleEngine(
  deps: BackupsDeps,
  store: BackupsStore,
  lineListeners: Map<string, (line: ReportLine) => void>,
) {
  const { config, clock } = deps;
  // With an in-memory database, artifacts go to a private directory made on first write and
  // removed by stop(), so test apps that never back up leave nothing behind.
  const scratch =
    !config.storageDir && deps.dataDir === ':memory:'
      ? join(tmpdir(), `bestiary-backups-${randomBytes(6).toString('hex')}`)
      : null;
  const storageDir = config.storageDir ?? scratch ?? join(deps.dataDir, 'backups');
  const keyId = `p-${createHash('sha256').update(deps.providerKey).digest('hex').slice(0, 8)}`;
  const engine = createBackupEngine({
    clock,
    logger: deps.logger.child({ module: 'backups' }),
    persistence: store.persistence,
    storage: createLocalStorage(storageDir),
    encryptTo: config.recipient
      ? { mode: 'x25519', recipient: config.recipient }
      : { mode: 'aes-256-gcm', keyId, key: deps.providerKey },
    decryptKeys: {
      providerKeys: { [keyId]: deps.providerKey },
      identities: [...config.identities],
    },
    zstd: { level: config.zstdLevel },
    ...(config.tmpDir ? { tmpDir: config.tmpDir } : {}),
    onReportLine: (runId, line) => lineListeners.get(runId)?.(line),
    // Monitoring's heartbeat: every finished run is an event with its owner.
    heartbeat: async (beat) => {
      const t = await store.target(beat.targetId);
      if (!t) return;
      if (beat.ok)
        await deps.events.emit('backup.succeeded', {
          ...factOf(t),
          runId: beat.runId,
          level: beat.level === 'WARN' ? 'WARN' : 'INFO',
          at: beat.at,
        });
      else
        await deps.events.emit('backup.failed', {
          ...factOf(t),
          runId: beat.runId,
          at: beat.at,
          phase: 'run',
          summary: beat.summary,
        });
    },
  });
  return { engine, scratch };
}
