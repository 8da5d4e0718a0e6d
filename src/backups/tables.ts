// The backups module's tables: targets, runs (with reports and manifests as JSON) and restores.

export type OwnerKind = 'pi' | 'server' | 'provider';
/** `queued` rows exist only for the panel and the scheduler; the engine never sees them. */
export type RunRowStatus = 'queued' | 'running' | 'good' | 'failed';
export type RestoreStatus = 'queued' | 'running' | 'ok' | 'failed';
/** What started a run or restore. */
export type Trigger = 'schedule' | 'panel' | 'api' | 'cli';

export interface BackupTargetsTable {
  id: string;
  name: string;
  kind: string;
  owner_kind: OwnerKind;
  owner_id: string | null;
  account_id: string | null;
  /** TargetConfig as JSON, without its password. */
  config: string;
  /** The password sealed with sealCredential (context: the target id). */
  secret: string | null;
  schedule: string;
  retention: string;
  restore_test: string | null;
  restore_test_schedule: string | null;
  reverify_schedule: string | null;
  enabled: number;
  /** 'self' for Bestiary's own database. */
  builtin: string | null;
  created_at: number;
  updated_at: number;
}

export interface BackupRunsTable {
  id: string;
  target_id: string;
  kind: string;
  status: RunRowStatus;
  level: string;
  trigger: Trigger;
  requested_by: string | null;
  job_id: string | null;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  client: string | null;
  artifacts: string;
  excluded_data: string;
  report: string;
  pruned_at: number | null;
  reverified_at: number | null;
}

export interface BackupRestoresTable {
  id: string;
  run_id: string;
  target_id: string;
  mode: 'test' | 'new' | 'overwrite';
  status: RestoreStatus;
  /** JSON: {databaseMap} or {directory}. */
  destination: string;
  trigger: Trigger;
  requested_by: string | null;
  job_id: string | null;
  report: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface BackupsTables {
  backup_targets: BackupTargetsTable;
  backup_runs: BackupRunsTable;
  backup_restores: BackupRestoresTable;
}
