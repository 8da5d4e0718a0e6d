// The backups module's door: the product (createBackupsModule: targets, schedules, runs, restores,
// reports, events) on the engine (runs, verification, restores, retention), and their types.
export { createBackupEngine, type BackupEngine } from './backup-engine.js';
export {
  backupKeyFrom,
  createBackupsModule,
  type BackupsConfig,
  type BackupsDeps,
  type BackupsModule,
} from './module.js';
export type { BackupFreshness } from './schedules.js';
export type { TargetInput, TargetView } from './targets-admin.js';
export { targetInputSchema } from './targets-admin.js';
export type { RunView, RestoreView } from './views.js';
export type { RestoreAsk } from './work.js';
export type { OwnerKind, Trigger } from './tables.js';
export { backupUsage, runBackupCli } from './cli.js';
export { parseCron, nextSlot, previousSlot, cronProblem } from './cron.js';

export type * from './types.js';
export type { BackupEngineDeps, RunOptions } from './engine.js';
export type { RestoreRequest } from './restore.js';
export type { ArtifactStorage, ArtifactWrite } from './storage/types.js';
export type { EncryptTo, DecryptKeys } from './crypto/stream.js';
export type { ToolPaths } from './targets/types.js';
export type { ProofLine } from './formats/scanner.js';
export { createLocalStorage } from './storage/local.js';
export { createMemoryPersistence, type MemoryPersistence } from './memory-persistence.js';
export { sealCredential, openCredential } from './crypto/credentials.js';
export { generateRecipientKeyPair } from './crypto/stream.js';
export { planRetention, type RetentionPlan, type RetentionRun } from './retention.js';
export { judgePlausibility } from './plausibility.js';
export { classifyStderr, formatReport, formatLine, summaryLine } from './report.js';
export { targetDrivers } from './targets/index.js';
